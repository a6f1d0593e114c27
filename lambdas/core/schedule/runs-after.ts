import { Cron } from 'croner';
import { instantsOfLocalTime, localTimeOf } from './local-time.ts';
import type {
  CronSchedule,
  RateSchedule,
  ScheduleExpression,
} from './parse-schedule-expression.ts';
import { ScheduleExpressionError } from './schedule-expression-error.ts';

/**
 * The runs of a schedule strictly after `from`, earliest first, as EventBridge Scheduler
 * makes them; it ends only when a cron expression has no run left (its years are over).
 *
 * A cron expression is evaluated in `timeZone` by croner, and across daylight saving changes
 * the runs are those EventBridge Scheduler documents: a run whose local time the clocks skip
 * going forward is skipped (croner would run a fixed-time job at the end of the gap), and a
 * local time the clocks show twice going back runs once, at its first occurrence (croner
 * would run an interval job on both).
 *
 * A rate expression runs at `anchor`, then every period after it (a day is 24 hours, so the
 * local time of a daily rate moves when the offset changes). EventBridge anchors a rate at
 * the schedule's creation (or its start date); default: `from` itself, so the first run
 * is one period after `from`.
 */
export function* runsAfter(
  schedule: ScheduleExpression,
  timeZone: string,
  from: Date,
  anchor: Date = from,
): Generator<Date, void, undefined> {
  if (schedule.kind === 'rate') yield* rateRunsAfter(schedule, from, anchor);
  else yield* cronRunsAfter(schedule, timeZone, from);
}

function* rateRunsAfter(schedule: RateSchedule, from: Date, anchor: Date) {
  const start = anchor.getTime();
  const elapsed = from.getTime() - start;
  let k = elapsed < 0 ? 0 : Math.floor(elapsed / schedule.periodMs) + 1;
  while (true) {
    yield new Date(start + k * schedule.periodMs);
    k += 1;
  }
}

function* cronRunsAfter(schedule: CronSchedule, timeZone: string, from: Date) {
  const job = cronerJob(schedule, timeZone);
  let cursor: Date | null = from;
  while (true) {
    cursor = job.nextRun(cursor);
    if (!cursor) return;
    if (job.match(cursor) && isFirstOccurrence(cursor, timeZone)) yield cursor;
  }
}

/** Whether no earlier instant shows the same local time: false in a repeated hour's second pass. */
function isFirstOccurrence(run: Date, timeZone: string): boolean {
  const [first] = instantsOfLocalTime(localTimeOf(run, timeZone), timeZone);
  return first?.getTime() === Math.floor(run.getTime() / 1000) * 1000;
}

/**
 * A croner job that only computes (paused, no function): seven parts with seconds at 0,
 * EventBridge's day-of-week numbering, both day fields to match.
 */
function cronerJob(schedule: CronSchedule, timeZone: string): Cron {
  try {
    return new Cron(schedule.pattern, {
      timezone: timeZone,
      mode: '7-part',
      alternativeWeekdays: true,
      domAndDow: true,
      paused: true,
    });
  } catch (error) {
    // The fields were checked already: this is croner refusing what EventBridge takes.
    throw new ScheduleExpressionError(
      schedule.expression,
      `cannot be evaluated here (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}
