import { type AwaitSendersDeps, awaitSenders } from './await-senders.ts';
import type { IssueDeps } from './issue-deps.ts';
import { moveIssue } from './move-issue.ts';
import type { Issue } from './ports.ts';

/** What pausing or cancelling an issue needs: the issue store, and the senders' leases. */
export type StopDeps = Pick<IssueDeps, 'issues' | 'now'> & {
  ledger: Pick<IssueDeps['ledger'], 'counts'>;
} & Omit<AwaitSendersDeps, 'now'>;

/** What a pause or a cancel found once no sender could claim any more. */
export interface StoppedIssue {
  issue: Issue;
  /** Calls to SES under way when the senders stopped: they finish and record their outcome. */
  inFlight: number;
  /** Milliseconds spent waiting for senders whose lease began before the change. */
  waitedMs: number;
}

/**
 * Pauses a sending issue: one conditional write makes it `paused`, then this waits until no
 * sender can still make a claim for it (`awaitSenders`): every lease taken before the write
 * has ended or expired, and every later one reads `paused` and claims nothing. Calls to SES
 * already started finish and record their outcome; the senders let the issue's pages go, and
 * `resumeIssue` enqueues again what the ledger says is not done.
 * @throws IssueStateError when the issue is not sending (nothing changes)
 */
export async function pauseIssue(
  deps: StopDeps,
  issueId: string,
  actor: string,
): Promise<StoppedIssue> {
  const issue = await moveIssue(deps.issues, issueId, 'pause', { actor, at: deps.now() });
  return stopped(deps, issue);
}

/**
 * Waits for the senders to stop, and counts the calls still in flight. Call it once the write
 * that took the issue out of `sending` has returned: the wait counts from the time read here,
 * after it (`awaitSenders`).
 */
export async function stopped(deps: StopDeps, issue: Issue): Promise<StoppedIssue> {
  const waitedMs = await awaitSenders(deps, issue.issueId, deps.now());
  const counts = await deps.ledger.counts(issue.issueId);
  return { issue, inFlight: counts.claimed, waitedMs };
}
