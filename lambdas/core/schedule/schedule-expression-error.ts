/**
 * A schedule expression that EventBridge Scheduler would not take, or that this project
 * cannot evaluate as EventBridge does. The message quotes the expression and names the field
 * and what is wrong with it (`cron(0 25 * * ? *): hours: 25 is not from 0 to 23`).
 */
export class ScheduleExpressionError extends Error {
  override name = 'ScheduleExpressionError';

  constructor(
    readonly expression: string,
    readonly problem: string,
  ) {
    super(`${expression}: ${problem}`);
  }
}
