import { formatCount } from '../common/format-count.ts';
import { canaryHolds } from './canary-holds.ts';
import type { Issue, IssueFields } from './ports.ts';
import { enqueueUnfinished, type PrepareDeps } from './prepare-issue.ts';
import { CANARY_ACTOR } from './start-canary.ts';

/** What ending a canary needs. */
export type EndCanaryDeps = Pick<PrepareDeps, 'config' | 'ledger' | 'issues' | 'queue' | 'now'>;

/**
 * Whether the canary of a sending issue is due to end: it holds, its recipients were picked,
 * and the wait (`until`) is over at `now`.
 */
export function canaryDue(issue: Issue, now: Date): boolean {
  const until = issue.canary?.until;
  return (
    issue.state === 'sending' &&
    canaryHolds(issue) &&
    until !== undefined &&
    Date.parse(until) <= now.getTime()
  );
}

/**
 * Ends the canary of a sending issue once it is due (`canaryDue`): one conditional write
 * (from `sending` to `sending`, while the canary has not ended) sets its `endedAt` and says
 * in the timeline how many were sent, then every recipient not done is enqueued, the `held`
 * ones with the rest (`enqueueUnfinished`). Of two processes ending it at once (the minute
 * tick and a command following the send), one wins and enqueues; a paused issue's canary is
 * ended by its resume instead. A crash between the write and the enqueue leaves the held
 * recipients to whoever next puts the issue's work back on an idle queue (`restoreWorkList`).
 * @returns how many recipients were enqueued when this call ended the canary; undefined when
 *   it was not due, or another process ended it first
 */
export async function endCanary(deps: EndCanaryDeps, issue: Issue): Promise<number | undefined> {
  const now = deps.now();
  if (!canaryDue(issue, now)) return undefined;
  const counts = await deps.ledger.counts(issue.issueId);
  const ended = await deps.issues.move(issue.issueId, {
    from: ['sending'],
    to: 'sending',
    canary: 'holds',
    changes: canaryEnded(issue, now),
    entry: {
      at: now.toISOString(),
      actor: CANARY_ACTOR,
      action: 'canary',
      detail: `canary over: ${formatCount(counts.sent)} sent; sending the other ${formatCount(Math.max(0, counts.held))}`,
    },
  });
  if (!ended) return undefined;
  return enqueueUnfinished(deps, ended);
}

/**
 * The change that ends the issue's canary at `at`, for a move that ends it (`endCanary`, a
 * resume); nothing when it has none or it has ended already.
 */
export function canaryEnded(issue: Issue, at: Date): IssueFields {
  if (!issue.canary || !canaryHolds(issue)) return {};
  return { canary: { ...issue.canary, endedAt: at.toISOString() } };
}
