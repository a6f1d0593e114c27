import type { IssueWatch } from './watch-issues.ts';

/**
 * The metric (and the word in the issue builder's log line that counts it) whose alarm tells
 * that an issue has been `sending` for an hour without any recipient getting an outcome, out
 * of a canary's wait (`watchIssues`).
 */
export const ISSUE_STALLED_METRIC = 'IssueStalled';

/**
 * The metric (and the word in the issue builder's log line that counts it) whose alarm tells
 * that an issue has been paused for `pausedAlarmHours` or more: it holds up every schedule run.
 */
export const ISSUE_PAUSED_TOO_LONG_METRIC = 'IssuePausedTooLong';

/**
 * The metric that the issue builder's log gives, each minute, the rate (messages per second,
 * all senders together) of the issue sending: the cap that the senders keep to.
 */
export const SEND_RATE_CAP_METRIC = 'SendRateCap';

/**
 * The log lines of one look at an issue (`watchIssues`), each counted by a metric filter:
 * the rate of an issue sending (its cap), and a warning for an issue stalled or paused too
 * long. Ids, times and counts only: never an address.
 */
export function watchLines(watch: IssueWatch): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  if ('rate' in watch) {
    lines.push({
      message: 'send rate cap',
      metric: SEND_RATE_CAP_METRIC,
      issueId: watch.issueId,
      rate: watch.rate,
    });
  }
  if (watch.kind === 'stalled') {
    lines.push({
      level: 'warn',
      message: 'issue stalled',
      metric: ISSUE_STALLED_METRIC,
      issueId: watch.issueId,
      since: watch.since,
      minutes: watch.minutes,
    });
  }
  if (watch.kind === 'paused-too-long') {
    lines.push({
      level: 'warn',
      message: 'issue paused too long',
      metric: ISSUE_PAUSED_TOO_LONG_METRIC,
      issueId: watch.issueId,
      since: watch.since,
      hours: watch.hours,
    });
  }
  return lines;
}
