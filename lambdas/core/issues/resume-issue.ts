import type { IssueDeps } from './issue-deps.ts';
import { moveIssue } from './move-issue.ts';
import type { Issue } from './ports.ts';
import { enqueueUnfinished } from './prepare-issue.ts';
import { carryOn } from './start-issue.ts';

/**
 * Resumes a paused issue: one conditional write makes it `sending` again (at `rate` when
 * given), then what the ledger says is not done is enqueued again, and a preparation the
 * pause cut short is carried on. The ledger decides who is mailed, so nobody gets it twice,
 * whatever pages of the issue are still about.
 * @returns the issue and how many recipients were enqueued
 * @throws IssueStateError when the issue is not paused (nothing changes)
 */
export async function resumeIssue(
  deps: IssueDeps,
  issueId: string,
  actor: string,
  options: { rate?: number } = {},
): Promise<{ issue: Issue; enqueued: number }> {
  const issue = await moveIssue(
    deps.issues,
    issueId,
    'resume',
    { actor, at: deps.now() },
    {
      ...(options.rate === undefined
        ? {}
        : { changes: { rate: options.rate }, detail: `at ${options.rate} messages/s` }),
    },
  );
  const enqueued = (await enqueueUnfinished(deps, issue)) + (await carryOn(deps, issue));
  return { issue, enqueued };
}
