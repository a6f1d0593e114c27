import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { loadConfirmationTemplates, loadTemplates } from '../../templates/load-templates.ts';
import { configFromEnv } from '../adapters/config-from-env.ts';
import { issueDepsFromEnv } from '../adapters/issue-deps-from-env.ts';
import { powertoolsLog } from '../adapters/powertools-log.ts';
import { archiveFromEnv } from '../adapters/s3-archive.ts';
import { loadSecretsManagerLinkKeys } from '../adapters/secrets-manager-link-keys.ts';
import { secretsManagerHashKey } from '../adapters/secrets-manager-token-key.ts';
import { signupJobsDepsFromEnv } from '../adapters/signup-jobs-deps-from-env.ts';
import { withLambdaContext } from '../adapters/with-lambda-context.ts';
import type { LogLine } from '../core/common/log-line.ts';
import { withoutAddresses } from '../core/common/without-addresses.ts';
import { IssueInProgressError } from '../core/issues/issue-in-progress-error.ts';
import { IssuePausedError } from '../core/issues/issue-paused-error.ts';
import { IssueStateError } from '../core/issues/issue-state-error.ts';
import { NoActiveSubscriberError } from '../core/issues/no-active-subscriber-error.ts';
import { runSchedule, runTick, type ScheduleOutcome } from '../core/issues/run-schedule.ts';
import { SCHEDULE_SENT_NOTHING_METRIC } from '../core/issues/schedule-metrics.ts';
import type { IssueDeps } from '../core/issues/send-issue.ts';
import { type IssueProgress, watchIssues } from '../core/issues/watch-issues.ts';
import { watchLines } from '../core/issues/watch-metrics.ts';
import {
  eraseStalePendings,
  type StalePendingDeps,
} from '../core/subscribers/erase-stale-pendings.ts';
import {
  type DueConfirmationDeps,
  sendDueConfirmations,
} from '../core/subscribers/send-due-confirmations.ts';

/** What the schedule did, for the log and the invocation's result. */
export type ScheduledIssueResult =
  | ScheduleOutcome
  | { kind: 'erased'; erased: number }
  | {
      kind: 'nothing';
      reason: 'no-active-subscriber' | 'in-progress' | 'paused';
      issueId?: string;
    };

/**
 * The event of the issue builder's schedules: EventBridge Scheduler's recurring schedule
 * (`scheduleExpression`) invokes it with its own input, the minute tick with `{ tick: true }`,
 * the daily erasure of forgotten sign-ups with `{ eraseStalePendings: true }`.
 */
export interface ScheduleEvent {
  tick?: boolean;
  eraseStalePendings?: boolean;
}

/** What one container of the issue builder holds. */
export interface ScheduledIssueContainer {
  deps: IssueDeps;
  log: LogLine;
  requireApproval: boolean;
  /**
   * Hours from which a paused issue is reported (`pausedAlarmHours`). When given, each minute
   * tick also watches the issues sending or paused (`watchIssues`) and logs what the alarms
   * count; absent, the tick watches nothing.
   */
  pausedAlarmHours?: number;
  /**
   * The sign-up jobs' ports: each tick then mails the confirmations due
   * (`sendDueConfirmations`), and `{ eraseStalePendings: true }` erases forgotten sign-ups.
   */
  signups?: DueConfirmationDeps & StalePendingDeps;
}

/**
 * The scheduled-issue handler (EventBridge Scheduler → Lambda). The recurring schedule runs
 * `runSchedule`: it carries on the issue sending, else sends the scheduled issue due, the
 * approved draft, or (without `requireApproval`) a new issue. The minute tick (`{ tick: true }`)
 * runs `runTick`: it ends the canary of the issue sending once its wait is over, and sends a
 * scheduled issue once it is due. Two runs at once, or a run beside
 * an editor's `send`, start one issue: the other is told which one is sending. A run that sends
 * nothing an editor expected (nothing approved, or a scheduled or approved issue whose
 * articles went out meanwhile) logs a warning with `metric: ScheduleSentNothing`, which an
 * alarm watches. Given `pausedAlarmHours`, each tick then looks at the issues sending or paused
 * (`watchIssues`), keeping what it saw for the next tick in the container: it logs the rate of
 * the issue sending (`SendRateCap`), and warns of an issue that has not advanced for an hour
 * (`IssueStalled`) or has been paused for `pausedAlarmHours` (`IssuePausedTooLong`), which
 * alarms watch. A failed look fails the tick, after its own line is logged.
 */
export function createScheduledIssueHandler(container: () => Promise<ScheduledIssueContainer>) {
  let ready: Promise<ScheduledIssueContainer> | undefined;
  // What the last tick's look saw of the issues sending: lost with the container, which only
  // delays a stall's report.
  let seen: readonly IssueProgress[] = [];
  return async (
    event?: ScheduleEvent | null,
    context?: Pick<Context, 'getRemainingTimeInMillis'>,
  ): Promise<ScheduledIssueResult> => {
    ready ??= container().catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    const { deps, log, requireApproval, pausedAlarmHours, signups } = await ready;
    if (event?.eraseStalePendings) {
      if (!signups) return { kind: 'erased', erased: 0 };
      const erased = await eraseStalePendings(signups);
      log({ message: 'forgotten sign-ups erased', erased });
      return { kind: 'erased', erased };
    }
    // A list too large for one invocation is prepared further by the send-batch function.
    const remaining = context?.getRemainingTimeInMillis() ?? Number.POSITIVE_INFINITY;
    const deadline = Date.now() + remaining * 0.8;
    const run = event?.tick ? 'tick' : 'schedule';
    let result: ScheduledIssueResult;
    try {
      result =
        run === 'tick'
          ? await runTick(deps, deadline)
          : await runSchedule(deps, { requireApproval, deadline });
    } catch (error) {
      // None is a failure to retry: the next run starts the issue once someone subscribes,
      // or once the issue that another start won is done.
      result = refusal(error);
    }
    if (result.kind === 'nothing' && ['awaiting-approval', 'outdated'].includes(result.reason)) {
      log({
        level: 'warn',
        message: 'the schedule sent nothing',
        run,
        ...result,
        metric: SCHEDULE_SENT_NOTHING_METRIC,
      });
    } else if (run === 'schedule' || result.kind === 'started' || result.kind === 'canary-over') {
      log({ message: describe(result), run, ...result });
    }
    if (run === 'tick' && signups) await mailDueConfirmations(signups, log);
    if (run === 'tick' && pausedAlarmHours !== undefined) {
      const watched = await watchIssues(deps, { pausedAlarmHours, seen });
      seen = watched.seen;
      for (const line of watched.watches.flatMap(watchLines)) log(line);
    }
    return result;
  };
}

/**
 * The tick's sign-up work (`sendDueConfirmations`): what it did is logged when it did
 * anything; a failure is logged, without addresses, and leaves the issue's tick as it was.
 */
async function mailDueConfirmations(
  signups: DueConfirmationDeps & StalePendingDeps,
  log: LogLine,
): Promise<void> {
  try {
    const outcome = await sendDueConfirmations(signups);
    if (outcome.stored + outcome.sent + outcome.dropped > 0 || outcome.deferred) {
      log({ message: 'sign-up confirmations', ...outcome });
    }
  } catch (error) {
    log({
      level: 'error',
      message: 'sign-up confirmations failed',
      error: withoutAddresses(
        error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      ),
    });
  }
}

function refusal(error: unknown): ScheduledIssueResult {
  if (error instanceof NoActiveSubscriberError) {
    return { kind: 'nothing', reason: 'no-active-subscriber' };
  }
  if (error instanceof IssueInProgressError) {
    return { kind: 'nothing', reason: 'in-progress', issueId: error.issueId };
  }
  if (error instanceof IssuePausedError) {
    return { kind: 'nothing', reason: 'paused', issueId: error.issueId };
  }
  // The tick and the recurring run started the same issue at once: the other one won.
  if (error instanceof IssueStateError) {
    return { kind: 'nothing', reason: 'in-progress', issueId: error.issueId };
  }
  throw error;
}

function describe(result: ScheduledIssueResult): string {
  switch (result.kind) {
    case 'started':
      return 'issue started';
    case 'busy':
      return result.state === 'paused'
        ? 'an issue is paused: nothing started'
        : 'an issue is sending: nothing started';
    case 'canary-over':
      return 'the canary is over: the rest of the issue is enqueued';
    case 'nothing':
      return `nothing sent: ${result.reason}`;
    case 'erased':
      return 'forgotten sign-ups erased';
  }
}

/**
 * Where the function's lines go on Lambda: Powertools' logger, whose JSON object is the log
 * event itself, each field of the line at its top level, where a metric filter reads it (the
 * rate of `SendRateCap` at `$.rate`).
 */
const logger = new Logger();
const lambdaLog: LogLine = powertoolsLog(logger);

let confirmationTemplates: ReturnType<typeof loadConfirmationTemplates> | undefined;

/** Adapters from the function's environment. */
const scheduledIssue = createScheduledIssueHandler(async () => {
  const config = configFromEnv();
  // The stack copies templates/ beside the bundle, where the loader looks.
  const templates = await loadTemplates();
  const archive = archiveFromEnv();
  return {
    deps: issueDepsFromEnv(
      config,
      templates,
      (issueId, content) => archive.putIssue(issueId, content.html),
      lambdaLog,
    ),
    log: lambdaLog,
    requireApproval: config.requireApproval,
    pausedAlarmHours: config.pausedAlarmHours,
    signups: signupJobsDepsFromEnv(config, {
      hashKey: await secretsManagerHashKey(),
      linkKeys: await loadSecretsManagerLinkKeys(),
      confirmationTemplates: () => {
        confirmationTemplates ??= loadConfirmationTemplates();
        return confirmationTemplates;
      },
    }),
  };
});

/** The Lambda entry point: each invocation's lines carry its request id. */
export const handler = withLambdaContext(logger, scheduledIssue);
