import type { Article } from '../articles/article.ts';
import { cutText } from '../common/cut-text.ts';

/** Longest preheader, in characters: what inbox previews show beside the subject. */
export const MAX_PREHEADER_LENGTH = 90;

/**
 * The inbox preview line of an issue, at most 90 characters. The subject already carries the
 * top headline, so the preview names the other stories ("Also in this issue: …"); an issue of
 * one article is previewed by its intro, else its first slide.
 */
export function issuePreheader(articles: readonly Article[]): string {
  const [top, ...others] = articles;
  if (!top) return '';
  const summary =
    others.length > 0
      ? `Also in this issue: ${others.map((article) => article.headline).join(' · ')}`
      : (top.lead.paragraphs[0] ?? top.slides[0]?.title ?? top.headline);
  return cutText(summary, MAX_PREHEADER_LENGTH);
}
