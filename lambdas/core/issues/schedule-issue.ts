import { assertCurrent } from './assert-current.ts';
import type { IssueDeps } from './issue-deps.ts';
import { IssueNotFoundError } from './issue-not-found-error.ts';
import { assertAllows } from './issue-state.ts';
import { moveIssue } from './move-issue.ts';
import type { Issue } from './ports.ts';

/** A time to schedule at that is not in the future. */
export class ScheduleTimeError extends Error {
  override name = 'ScheduleTimeError';
}

/**
 * Schedules a draft, exactly as rendered, for `at`: one conditional write on its state and
 * version; an approval of it is withdrawn. From then on it carries its articles, as a sending issue does, so no other issue
 * offers them; the minute tick (`runTick`) sends it once it is due and no other issue is
 * sending or paused.
 * @throws ScheduleTimeError when `at` is not in the future; IssueStateError (not a draft);
 *   IssueVersionError; DraftOutdatedError (another issue carries its articles). Nothing
 *   changes then.
 */
export async function scheduleIssue(
  deps: Pick<IssueDeps, 'issues' | 'now'>,
  issueId: string,
  at: Date,
  actor: string,
): Promise<Issue> {
  const now = deps.now();
  if (at.getTime() <= now.getTime()) {
    throw new ScheduleTimeError(
      `${at.toISOString()} is not in the future: send the issue now instead`,
    );
  }
  const draft = await deps.issues.get(issueId);
  if (!draft) throw new IssueNotFoundError(issueId);
  assertAllows(draft, 'schedule');
  assertCurrent(draft, await deps.issues.list());
  const scheduled = await moveIssue(
    deps.issues,
    issueId,
    'schedule',
    { actor, at: now },
    {
      version: draft.version,
      changes: { scheduledAt: at.toISOString() },
      detail: `for ${at.toISOString()}`,
    },
  );
  // Its time is now what sends it: unscheduled later, it is not approved either.
  await deps.issues.clearApproval(issueId);
  return scheduled;
}

/**
 * Takes a scheduled issue back to `draft`: it no longer carries its articles, and can be
 * rendered again, scheduled again or sent.
 * @param reason said in the timeline when the system does it (e.g. its articles went out)
 * @throws IssueStateError when it is not scheduled
 */
export function unscheduleIssue(
  deps: Pick<IssueDeps, 'issues' | 'now'>,
  issueId: string,
  actor: string,
  reason?: string,
): Promise<Issue> {
  return moveIssue(
    deps.issues,
    issueId,
    'unschedule',
    { actor, at: deps.now() },
    {
      changes: { scheduledAt: null },
      ...(reason === undefined ? {} : { detail: reason }),
    },
  );
}
