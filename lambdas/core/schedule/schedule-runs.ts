import { parseScheduleExpression } from './parse-schedule-expression.ts';
import { runsAfter } from './runs-after.ts';

/** Where a rate expression counts from; cron expressions have no use for it. */
export interface RunOptions {
  /**
   * The first run of a rate expression: on AWS, when the schedule was created (or its start
   * date). Default: `from`, for a preview that cannot know it.
   */
  anchor?: Date;
}

/**
 * The next `count` runs of an EventBridge Scheduler expression in `timeZone`, strictly after
 * `from`, earliest first (fewer when the expression's years run out). See `runsAfter` for
 * daylight saving changes and rate anchors.
 * @throws ScheduleExpressionError naming what is wrong with the expression
 */
export function scheduleRuns(
  expression: string,
  timeZone: string,
  from: Date,
  count: number,
  options: RunOptions = {},
): Date[] {
  const schedule = parseScheduleExpression(expression);
  const runs: Date[] = [];
  if (count <= 0) return runs;
  for (const run of runsAfter(schedule, timeZone, from, options.anchor)) {
    runs.push(run);
    if (runs.length >= count) break;
  }
  return runs;
}
