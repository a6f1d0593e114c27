import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { LogLine } from '#core/common/log-line.ts';
import { plural } from '#core/common/plural.ts';
import { describeBothZones } from '#core/schedule/format-both-zones.ts';
import { parseScheduleExpression } from '#core/schedule/parse-schedule-expression.ts';
import { runsAfter } from '#core/schedule/runs-after.ts';
import { runsBetween } from '#core/schedule/runs-between.ts';
import { readScheduleRecord, type ScheduleRecord, writeScheduleRecord } from './schedule-record.ts';

/**
 * The scheduled-issue handler as EventBridge Scheduler invokes it: `{}` from the recurring
 * schedule, `{ tick: true }` from the minute tick (see `infra/issue-schedule.ts`).
 */
export type ScheduledIssueInvoke = (
  event: { tick?: boolean },
  context: Context,
) => Promise<unknown>;

/** Time and timers, so that tests can move time on without waiting for it. */
export interface SchedulerClock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(timer: unknown): void;
}

/** The clock of the machine, with timers that do not keep the process alive by themselves. */
export const systemClock: SchedulerClock = {
  now: () => Date.now(),
  setTimer: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimer: (timer) => clearTimeout(timer as NodeJS.Timeout),
};

export interface LocalSchedulerOptions {
  stateDir: string;
  /** `scheduleExpression` and `scheduleTimeZone`. */
  expression: string;
  timeZone: string;
  /**
   * Makes the scheduled-issue handler: called at the first invocation, and again after a
   * failure to make it, as Lambda makes a container.
   */
  createHandler(): Promise<ScheduledIssueInvoke>;
  /** `handlers.log`: each run, the runs missed while the process slept, failures. */
  log: LogLine;
  /** Tells the person who started serve what they should know: runs missed while it was down. */
  warn(message: string): void;
  clock?: SchedulerClock;
}

/** A running local scheduler. */
export interface LocalScheduler {
  /** The next run of the recurring schedule; undefined when it has none left. */
  readonly nextRun: Date | undefined;
  /** Stops the timers and waits for the invocation under way, if any. */
  stop(): Promise<void>;
}

/** The issue builder's timeout on AWS (`infra/newsletter-functions.ts`). */
const ISSUE_BUILDER_TIMEOUT_MS = 15 * 60_000;
/** The longest delay a timer takes (about 24.8 days); a later run is waited for in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const MINUTE_MS = 60_000;
/** Most runs counted when telling what was missed. */
const MISSED_LIMIT = 10_000;

/**
 * The local stand-in for the issue builder's two EventBridge schedules, run by
 * `newsletter serve`: the recurring one (`scheduleExpression` in `scheduleTimeZone`, as
 * `runsAfter` computes it) invokes the scheduled-issue handler with `{}`, and a tick at the
 * start of every minute invokes it with `{ tick: true }`, so that scheduled issues go out once
 * due. As on AWS, where the function has a reserved concurrency of 1, one invocation runs at a
 * time: a run due meanwhile waits for it (as Scheduler retries), a tick is dropped (the next
 * one comes a minute later).
 *
 * Runs that fell while serve was down are not made up for: at the start, the scheduler says
 * how many there were and when the last was, from the record it keeps in the state folder
 * (`schedule.json`). Runs that fell while the process slept (a laptop's lid closed) become
 * one run, and the others are logged as missed.
 */
export async function startLocalScheduler(options: LocalSchedulerOptions): Promise<LocalScheduler> {
  const { stateDir, expression, timeZone, log } = options;
  const clock = options.clock ?? systemClock;
  const schedule = parseScheduleExpression(expression);
  const startedAt = new Date(clock.now());
  const previous = await readScheduleRecord(stateDir);
  if (previous) tellMissed(previous, startedAt, options);
  const same = previous?.expression === expression && previous.timeZone === timeZone;
  let record: ScheduleRecord = {
    expression,
    timeZone,
    anchor: same && previous ? previous.anchor : startedAt.toISOString(),
    accountedThrough: startedAt.toISOString(),
    ...(previous?.lastRunAt ? { lastRunAt: previous.lastRunAt } : {}),
  };
  const anchor = new Date(record.anchor);
  let saving: Promise<void> = writeScheduleRecord(stateDir, record);
  await saving;
  const save = (next: ScheduleRecord) => {
    record = next;
    saving = saving
      .then(() => writeScheduleRecord(stateDir, next))
      .catch((error: unknown) =>
        log({ level: 'error', message: 'schedule record not written', error: String(error) }),
      );
  };

  const builder = issueBuilder(options);
  let stopped = false;
  let nextRun: Date | undefined;
  let runTimer: unknown;
  let tickTimer: unknown;

  const armRun = (after: Date) => {
    nextRun = runsAfter(schedule, timeZone, after, anchor).next().value ?? undefined;
    if (nextRun) waitForRun();
    else log({ message: 'the schedule has no run left', expression });
  };
  const waitForRun = () => {
    const delay = (nextRun?.getTime() ?? 0) - clock.now();
    runTimer = clock.setTimer(onRunTimer, Math.min(Math.max(delay, 0), MAX_TIMER_MS));
  };
  const onRunTimer = () => {
    if (stopped || !nextRun) return;
    const now = new Date(clock.now());
    if (now < nextRun) return waitForRun();
    // Runs that fell since, while the process slept, become this one.
    const late = runsBetween(expression, timeZone, nextRun, now, { anchor, limit: MISSED_LIMIT });
    if (late.count > 0) {
      log({
        level: 'warn',
        message: 'schedule runs missed while the process slept',
        missed: late.count,
        last: late.last?.toISOString(),
      });
    }
    const runAt = late.last ?? nextRun;
    save({ ...record, accountedThrough: runAt.toISOString(), lastRunAt: runAt.toISOString() });
    log({
      message: 'scheduled run',
      function: 'scheduled-issue',
      scheduledAt: runAt.toISOString(),
    });
    builder.run();
    armRun(now > runAt ? now : runAt);
  };
  const armTick = () => {
    tickTimer = clock.setTimer(onTick, MINUTE_MS - (clock.now() % MINUTE_MS));
  };
  const onTick = () => {
    if (stopped) return;
    builder.tick();
    armTick();
  };

  armRun(startedAt);
  armTick();
  return {
    get nextRun() {
      return nextRun;
    },
    async stop() {
      stopped = true;
      clock.clearTimer(runTimer);
      clock.clearTimer(tickTimer);
      await builder.idle();
      await saving;
    },
  };
}

/** Says at the start how many runs fell between the last one accounted for and now. */
function tellMissed(previous: ScheduleRecord, now: Date, options: LocalSchedulerOptions): void {
  let missed: ReturnType<typeof runsBetween>;
  try {
    missed = runsBetween(
      previous.expression,
      previous.timeZone,
      new Date(previous.accountedThrough),
      now,
      {
        anchor: new Date(previous.anchor),
        limit: MISSED_LIMIT,
      },
    );
  } catch {
    // A record of a schedule that cannot be read now: there is nothing to tell of it.
    return;
  }
  if (!missed.last) return;
  const count = missed.more ? `more than ${MISSED_LIMIT} runs` : plural(missed.count, 'run');
  const last = describeBothZones(missed.last, previous.timeZone);
  options.log({
    level: 'warn',
    message: 'schedule runs missed while serve was down',
    missed: missed.count,
    more: missed.more,
    last: missed.last.toISOString(),
  });
  options.warn(
    `the schedule (${previous.expression}) missed ${count} while serve was down, the last at ` +
      `${last}; they are not made up for: \`newsletter send\` sends the next issue now`,
  );
}

/**
 * The issue builder function: one container (its handler made once), one invocation at a
 * time. A recurring run waits for the invocation under way; a second one waiting is the same
 * run. A tick while busy is dropped.
 */
function issueBuilder(options: LocalSchedulerOptions) {
  let handler: Promise<ScheduledIssueInvoke> | undefined;
  let running: Promise<void> | undefined;
  let runWaiting = false;

  const invoke = async (event: { tick?: boolean }) => {
    try {
      handler ??= options.createHandler().catch((error: unknown) => {
        handler = undefined;
        throw error;
      });
      await (await handler)(event, lambdaContext(Date.now() + ISSUE_BUILDER_TIMEOUT_MS));
    } catch (error) {
      options.log({
        level: 'error',
        message: 'scheduled-issue failed',
        run: event.tick ? 'tick' : 'schedule',
        error: String(error),
      });
    }
  };
  const start = (event: { tick?: boolean }) => {
    running = invoke(event).finally(() => {
      running = undefined;
      if (runWaiting) {
        runWaiting = false;
        start({});
      }
    });
  };
  return {
    run() {
      if (running) runWaiting = true;
      else start({});
    },
    tick() {
      if (!running) start({ tick: true });
    },
    async idle() {
      runWaiting = false;
      while (running) await running;
    },
  };
}

/** A Lambda context for one invocation, whose remaining time counts down to `deadline`. */
function lambdaContext(deadline: number): Context {
  const unsupported = () => {
    throw new Error('the local scheduler supports async handlers only');
  };
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'scheduled-issue',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:scheduled-issue',
    memoryLimitInMB: '1769',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/scheduled-issue',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
