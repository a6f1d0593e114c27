import type { Article } from '../articles/article.ts';
import { carriesArticles } from './issue-state.ts';
import type { Issue } from './ports.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** What limits the articles an issue may carry. */
export interface PlanOptions {
  /** When the issue is planned: ages are measured from here. */
  now: Date;
  /**
   * Days (by `publishedAt`) that an article left out of an earlier issue stays a candidate.
   * Default: no limit.
   */
  maxArticleWaitDays?: number;
  /** Most articles to return. Default: no limit. */
  maxArticles?: number;
}

/**
 * The candidates for the next issue: the articles that no issue carries (by `id`; see
 * `carriesArticles`: drafts reserve nothing), newest `publishedAt` first (ties by `id`), at
 * most `maxArticles`. An article that was already published when an earlier issue began
 * sending, and left out of it, stays a candidate only until it is `maxArticleWaitDays` old.
 * An empty result means there is nothing to send.
 */
export function planIssue(
  articles: readonly Article[],
  issues: readonly Issue[],
  options: PlanOptions,
): Article[] {
  const carriers = issues.filter(carriesArticles);
  const carried = new Set(carriers.flatMap((issue) => issue.articleIds));
  const lastIssueAt = Math.max(-Infinity, ...carriers.map(issueStartedAt));
  const oldest =
    options.maxArticleWaitDays === undefined
      ? -Infinity
      : options.now.getTime() - options.maxArticleWaitDays * DAY_MS;
  const candidates = articles
    .filter((article) => {
      if (carried.has(article.id)) return false;
      const publishedAt = Date.parse(article.publishedAt);
      // Published after the last issue began sending: nothing has passed it over yet.
      return publishedAt > lastIssueAt || publishedAt >= oldest;
    })
    .sort(
      (a, b) =>
        Date.parse(b.publishedAt) - Date.parse(a.publishedAt) ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
  return candidates.slice(0, options.maxArticles ?? candidates.length);
}

/** When an issue began carrying its articles (ms since the epoch). */
export function issueStartedAt(issue: Pick<Issue, 'startedAt' | 'createdAt'>): number {
  return Date.parse(issue.startedAt ?? issue.createdAt);
}
