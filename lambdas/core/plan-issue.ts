import type { Article } from './article.ts';
import type { Issue } from './ports.ts';

/**
 * The articles for the next issue: those that no earlier issue carried (by `id`), newest
 * `publishedAt` first. An empty result means there is nothing new to send.
 */
export function planIssue(articles: readonly Article[], issues: readonly Issue[]): Article[] {
  const carried = new Set(issues.flatMap((issue) => issue.articleIds));
  return articles
    .filter((article) => !carried.has(article.id))
    .sort((a, b) => Date.parse(b.publishedAt) - Date.parse(a.publishedAt));
}
