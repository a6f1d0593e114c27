import { DraftOutdatedError } from './draft-outdated-error.ts';
import { carriesArticles } from './issue-state.ts';
import { issueStartedAt } from './plan-issue.ts';
import type { Issue } from './ports.ts';

/**
 * Refuses to send or schedule an issue one of whose articles another issue carries that is
 * scheduled, or that began sending after this version was rendered: it would go out twice.
 * (An article an editor chose that was carried before is their choice.)
 * @throws DraftOutdatedError naming the other issue and the articles
 */
export function assertCurrent(draft: Issue, issues: readonly Issue[]): void {
  const renderedAt = Date.parse(draft.renderedAt);
  const mine = new Set(draft.articleIds);
  for (const other of issues) {
    if (other.issueId === draft.issueId || !carriesArticles(other)) continue;
    if (other.state !== 'scheduled' && issueStartedAt(other) <= renderedAt) continue;
    const shared = other.articleIds.filter((id) => mine.has(id));
    if (shared.length > 0) throw new DraftOutdatedError(draft.issueId, other, shared);
  }
}
