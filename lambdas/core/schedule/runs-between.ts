import {
  type CronSchedule,
  parseScheduleExpression,
  type RateSchedule,
} from './parse-schedule-expression.ts';
import { runsAfter } from './runs-after.ts';
import type { RunOptions } from './schedule-runs.ts';

/** How many runs fell in a stretch of time, and the last of them. */
export interface RunsBetween {
  /** Runs counted, at most `limit`. */
  count: number;
  /** The last run of the stretch; absent when none fell in it. */
  last?: Date;
  /** True when more than `limit` runs fell in the stretch (then `count` is `limit`). */
  more: boolean;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Spans before the end of a stretch searched, shortest first, for its last run. */
const LAST_RUN_SPANS = [HOUR_MS, DAY_MS, 32 * DAY_MS, 366 * DAY_MS, 10 * 366 * DAY_MS];

/**
 * The runs after `after` up to and including `through`: what a scheduler that was down
 * between the two missed (see `runsAfter` for daylight saving changes and rate anchors). A
 * cron expression's runs are counted up to `limit` (default 10,000), so that a schedule of
 * every minute down for a year costs little; its last run is found all the same.
 * @throws ScheduleExpressionError naming what is wrong with the expression
 */
export function runsBetween(
  expression: string,
  timeZone: string,
  after: Date,
  through: Date,
  options: RunOptions & { limit?: number } = {},
): RunsBetween {
  const schedule = parseScheduleExpression(expression);
  if (schedule.kind === 'rate') return rateRunsBetween(schedule, after, through, options.anchor);
  const limit = options.limit ?? 10_000;
  let count = 0;
  let last: Date | undefined;
  for (const run of runsAfter(schedule, timeZone, after)) {
    if (run.getTime() > through.getTime()) break;
    if (count === limit) {
      return { count, last: lastCronRun(schedule, timeZone, after, through) ?? run, more: true };
    }
    count += 1;
    last = run;
  }
  return last ? { count, last, more: false } : { count, more: false };
}

/** A rate's runs are the anchor and every period after it: counted, not walked. */
function rateRunsBetween(
  schedule: RateSchedule,
  after: Date,
  through: Date,
  anchor: Date = after,
): RunsBetween {
  const period = schedule.periodMs;
  const start = anchor.getTime();
  // The first run index after `after` and the last one not after `through`.
  const first = after.getTime() < start ? 0 : Math.floor((after.getTime() - start) / period) + 1;
  const lastIndex = Math.floor((through.getTime() - start) / period);
  if (through.getTime() < start || lastIndex < first) return { count: 0, more: false };
  return { count: lastIndex - first + 1, last: new Date(start + lastIndex * period), more: false };
}

/** The last run of a cron expression in the stretch, looked for near its end first. */
function lastCronRun(
  schedule: CronSchedule,
  timeZone: string,
  after: Date,
  through: Date,
): Date | undefined {
  for (const span of LAST_RUN_SPANS) {
    const from = new Date(Math.max(after.getTime(), through.getTime() - span));
    let last: Date | undefined;
    for (const run of runsAfter(schedule, timeZone, from)) {
      if (run.getTime() > through.getTime()) break;
      last = run;
    }
    if (last) return last;
  }
  return undefined;
}
