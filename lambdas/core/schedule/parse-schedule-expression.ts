import { cronerPattern } from './croner-pattern.ts';
import { ScheduleExpressionError } from './schedule-expression-error.ts';

/** A `cron(…)` expression, as the croner pattern that evaluates it (see `cronerPattern`). */
export interface CronSchedule {
  kind: 'cron';
  expression: string;
  pattern: string;
}

/** A `rate(value unit)` expression: a run every `periodMs`, counted from an anchor. */
export interface RateSchedule {
  kind: 'rate';
  expression: string;
  value: number;
  unit: 'minute' | 'hour' | 'day';
  /** Milliseconds between runs: EventBridge's days are 24 hours, whatever the clocks do. */
  periodMs: number;
}

export type ScheduleExpression = CronSchedule | RateSchedule;

const unitMs = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

/**
 * Reads an EventBridge Scheduler expression: `cron(minutes hours day-of-month month
 * day-of-week year)` or `rate(value unit)`, with the rules of EventBridge's documentation
 * (a rate of 1 takes a singular unit, any other a plural one).
 * @throws ScheduleExpressionError naming what is wrong
 */
export function parseScheduleExpression(expression: string): ScheduleExpression {
  const text = expression.trim();
  const outer = /^(cron|rate|at)\((.*)\)$/i.exec(text);
  if (!outer) {
    throw new ScheduleExpressionError(expression, 'must be cron(…) or rate(…)');
  }
  const [, kind = '', body = ''] = outer;
  switch (kind.toLowerCase()) {
    case 'cron':
      return { kind: 'cron', expression: text, pattern: cronerPattern(text, body) };
    case 'rate':
      return rateOf(text, body);
    default:
      throw new ScheduleExpressionError(
        expression,
        'at(…) is a one-time schedule; scheduleExpression is a recurring one, cron(…) or rate(…)',
      );
  }
}

function rateOf(expression: string, body: string): RateSchedule {
  const match = /^\s*(\d+)\s+(minute|hour|day)(s?)\s*$/i.exec(body);
  if (!match) {
    throw new ScheduleExpressionError(
      expression,
      'a rate is a whole number and minute(s), hour(s) or day(s), as in rate(5 minutes)',
    );
  }
  const [, count = '', unitText = '', plural = ''] = match;
  const value = Number(count);
  const unit = unitText.toLowerCase() as RateSchedule['unit'];
  if (value < 1) throw new ScheduleExpressionError(expression, 'a rate must be at least 1');
  if ((value === 1) !== (plural === '')) {
    throw new ScheduleExpressionError(
      expression,
      `EventBridge wants rate(1 ${unit}) for a value of 1 and rate(${Math.max(value, 2)} ` +
        `${unit}s) for more`,
    );
  }
  return { kind: 'rate', expression, value, unit, periodMs: value * unitMs[unit] };
}
