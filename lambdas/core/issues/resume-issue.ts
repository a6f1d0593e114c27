import { canaryEnded } from './end-canary.ts';
import type { IssueDeps } from './issue-deps.ts';
import { moveIssue } from './move-issue.ts';
import type { Issue } from './ports.ts';
import { enqueueUnfinished } from './prepare-issue.ts';
import { carryOn } from './start-issue.ts';

/**
 * Resumes a paused issue: one conditional write makes it `sending` again (at `rate` when
 * given), with its counts of now as the base its bounce and complaint rates are measured
 * from (`rateBaseline`), then what the ledger says is not done is enqueued again, and a preparation the
 * pause cut short is carried on. The ledger decides who is mailed, so nobody gets it twice,
 * whatever pages of the issue are still about. A canary that still holds ends with the same
 * write (`canaryEnded`): everyone not sent yet, the `held` recipients too, goes now.
 * @returns the issue and how many recipients were enqueued
 * @throws IssueStateError when the issue is not paused (nothing changes)
 */
export async function resumeIssue(
  deps: IssueDeps,
  issueId: string,
  actor: string,
  options: { rate?: number } = {},
): Promise<{ issue: Issue; enqueued: number }> {
  const [counts, events] = await Promise.all([
    deps.ledger.counts(issueId),
    deps.ledger.eventCounts(issueId),
  ]);
  // Rates are measured afresh from here: what paused the issue does not pause it again.
  const rateBaseline = {
    sent: counts.sent,
    bouncedPermanent: events.bouncedPermanent,
    complained: events.complained,
  };
  const at = deps.now();
  const paused = await deps.issues.get(issueId);
  const ending = paused ? canaryEnded(paused, at) : {};
  const detail = [
    ...(options.rate === undefined ? [] : [`at ${options.rate} messages/s`]),
    ...(ending.canary ? ['the canary ends: the held recipients go now'] : []),
  ].join('; ');
  const issue = await moveIssue(
    deps.issues,
    issueId,
    'resume',
    { actor, at },
    {
      changes: {
        rateBaseline,
        ...ending,
        ...(options.rate === undefined ? {} : { rate: options.rate }),
      },
      ...(detail === '' ? {} : { detail }),
    },
  );
  const enqueued = (await enqueueUnfinished(deps, issue)) + (await carryOn(deps, issue));
  return { issue, enqueued };
}
