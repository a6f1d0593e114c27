import { isApproved } from './approve-issue.ts';
import { DraftOutdatedError } from './draft-outdated-error.ts';
import { canaryDue, endCanary } from './end-canary.ts';
import type { IssueDeps } from './issue-deps.ts';
import { isUnderway } from './issue-state.ts';
import { finishIssue } from './issue-status.ts';
import type { Issue } from './ports.ts';
import { enqueueUnfinished } from './prepare-issue.ts';
import { unscheduleIssue } from './schedule-issue.ts';
import { sendIssue } from './send-issue.ts';
import { carryOn, startIssue } from './start-issue.ts';

/** The schedule's actor in timelines. */
export const SCHEDULE_ACTOR = 'schedule';

/**
 * What a run of the schedule did. `nothing` with `awaiting-approval` or `outdated` is what an
 * editor must hear of: the handler publishes a metric that an alarm watches.
 */
export type ScheduleOutcome =
  | {
      kind: 'started';
      issueId: string;
      source: 'scheduled' | 'approved' | 'planned';
      /** Recipients put on the send queue by this run. */
      enqueued: number;
    }
  | { kind: 'busy'; issueId: string; state: 'sending' | 'paused'; enqueued: number }
  | {
      /** The canary of the issue sending was over: this run ended it and enqueued the rest. */
      kind: 'canary-over';
      issueId: string;
      enqueued: number;
    }
  | { kind: 'nothing'; reason: 'nothing-new' | 'nothing-due' }
  | { kind: 'nothing'; reason: 'awaiting-approval' }
  | { kind: 'nothing'; reason: 'outdated'; issueId: string; detail: string };

/** How the list's schedule runs. */
export interface ScheduleOptions {
  /** Only a scheduled issue or an approved draft goes out; nothing is planned. */
  requireApproval: boolean;
  /** When preparing must hand over to a `PrepareStep` (ms since the epoch). */
  deadline?: number;
}

/**
 * What the recurring schedule (`scheduleExpression`) does when it fires:
 * 1. an issue sending or paused: it starts nothing (a sending one is carried on: its lost
 *    work list refilled, its preparation continued);
 * 2. else the earliest scheduled issue that is due is sent;
 * 3. else the approved draft;
 * 4. else, without `requireApproval`, a new issue is planned and sent, as `newsletter send`
 *    does;
 * 5. with it, nothing is sent: `awaiting-approval`.
 * A scheduled issue or an approved draft whose articles another issue carries is not sent: it
 * goes back to draft with the reason in its timeline (`outdated`).
 * @throws NoActiveSubscriberError, IssueInProgressError (another start won meanwhile)
 */
export async function runSchedule(
  deps: IssueDeps,
  options: ScheduleOptions,
): Promise<ScheduleOutcome> {
  const issues = await deps.issues.list();
  const busy = await busyWith(deps, issues, options.deadline);
  if (busy) return busy;
  const due = dueScheduled(issues, deps.now());
  if (due) return startChosen(deps, due, 'scheduled', options.deadline);
  const approval = await deps.issues.approval();
  const approved = issues.find((issue) => isApproved(issue, approval));
  if (approved) return startChosen(deps, approved, 'approved', options.deadline);
  if (options.requireApproval) return { kind: 'nothing', reason: 'awaiting-approval' };
  const sent = await sendIssue(deps, SCHEDULE_ACTOR, { deadline: options.deadline });
  return sent
    ? { kind: 'started', issueId: sent.issue.issueId, source: 'planned', enqueued: sent.enqueued }
    : { kind: 'nothing', reason: 'nothing-new' };
}

/**
 * The minute tick: ends the canary of the issue sending once its wait is over (`endCanary`:
 * `canary-over`); else sends the earliest scheduled issue that is due, once no issue is
 * sending or paused (a scheduled issue that falls due while another is sending starts at the
 * first tick after that one ends).
 */
export async function runTick(deps: IssueDeps, deadline?: number): Promise<ScheduleOutcome> {
  const issues = await deps.issues.list();
  const underway = issues.find(isUnderway);
  if (underway && canaryDue(underway, deps.now())) {
    const enqueued = await endCanary(deps, underway);
    // Ended by another process meanwhile: it enqueued the rest.
    if (enqueued !== undefined) {
      return { kind: 'canary-over', issueId: underway.issueId, enqueued };
    }
  }
  // Nothing due, nothing to do: the ledger of an issue sending is not counted every minute.
  const due = dueScheduled(issues, deps.now());
  if (!due) return { kind: 'nothing', reason: 'nothing-due' };
  const busy = await busyWith(deps, issues, deadline);
  if (busy) return busy;
  return startChosen(deps, due, 'scheduled', deadline);
}

/** The issue sending or paused, carried on when sending; undefined once it is sent. */
async function busyWith(
  deps: IssueDeps,
  issues: readonly Issue[],
  deadline: number | undefined,
): Promise<ScheduleOutcome | undefined> {
  const underway = issues.find(isUnderway);
  if (!underway) return undefined;
  if (underway.state === 'paused') {
    return { kind: 'busy', issueId: underway.issueId, state: 'paused', enqueued: 0 };
  }
  if ((await finishIssue(deps, underway, deps.now(), { exact: true })).done) return undefined;
  const restored = (await deps.queue.isIdle()) ? await enqueueUnfinished(deps, underway) : 0;
  const enqueued = restored + (await carryOn(deps, underway, deadline));
  return { kind: 'busy', issueId: underway.issueId, state: 'sending', enqueued };
}

/** The scheduled issue due first, if any is due. */
function dueScheduled(issues: readonly Issue[], now: Date): Issue | undefined {
  return issues
    .filter((issue) => issue.state === 'scheduled' && issue.scheduledAt !== undefined)
    .filter((issue) => Date.parse(issue.scheduledAt as string) <= now.getTime())
    .sort((a, b) => Date.parse(a.scheduledAt as string) - Date.parse(b.scheduledAt as string))[0];
}

/**
 * Starts a scheduled issue or the approved draft; one whose articles another issue carries
 * is put back (`putBack`: unscheduled, or its approval withdrawn) instead, saying why.
 */
async function startChosen(
  deps: IssueDeps,
  issue: Issue,
  source: 'scheduled' | 'approved',
  deadline: number | undefined,
): Promise<ScheduleOutcome> {
  try {
    const { enqueued } = await startIssue(deps, issue.issueId, SCHEDULE_ACTOR, { deadline });
    return { kind: 'started', issueId: issue.issueId, source, enqueued };
  } catch (error) {
    if (!(error instanceof DraftOutdatedError)) throw error;
    const detail = outdated(error);
    if (source === 'scheduled') {
      await unscheduleIssue(deps, issue.issueId, SCHEDULE_ACTOR, detail);
    } else {
      await deps.issues.clearApproval(issue.issueId);
      await deps.issues.move(issue.issueId, {
        from: ['draft'],
        to: 'draft',
        entry: { at: deps.now().toISOString(), actor: SCHEDULE_ACTOR, action: 'unapprove', detail },
      });
    }
    return { kind: 'nothing', reason: 'outdated', issueId: issue.issueId, detail };
  }
}

/** Why an issue was not sent, for its timeline: no address, only ids. */
function outdated(error: DraftOutdatedError): string {
  return `not sent: issue ${error.carriedBy} carries ${error.articleIds.join(', ')}`;
}
