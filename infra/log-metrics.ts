import { Duration } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { FilterPattern, type IFilterPattern, MetricFilter } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { ISSUE_PAUSED_ITSELF_METRIC } from '#core/issues/pause-metrics.ts';
import { SCHEDULE_SENT_NOTHING_METRIC } from '#core/issues/schedule-metrics.ts';
import {
  ISSUE_PAUSED_TOO_LONG_METRIC,
  ISSUE_STALLED_METRIC,
  SEND_RATE_CAP_METRIC,
} from '#core/issues/watch-metrics.ts';

/**
 * The namespace of every metric counted from the functions' logs, and of the send metrics
 * the functions publish themselves (Powertools' EMF, `POWERTOOLS_METRICS_NAMESPACE`).
 */
export const LOG_METRICS_NAMESPACE = 'Newsletter';

/**
 * The words of the sender's log line for a message of the send queue that failed (a batch
 * item failure: SQS delivers it again, and after `maxReceiveCount` to the dead-letter queue).
 */
export const SEND_PAGE_FAILED = { metric: 'SendPageFailed', terms: ['page failed'] } as const;

/**
 * The words of the events handler's log lines for SES events that failed (batch item
 * failures): one line per event that failed, and one per batch whose `Send` events could not
 * be applied (each of them is a failure).
 */
export const SES_EVENT_FAILED = {
  metric: 'SesEventFailed',
  terms: ['event failed', 'send events failed'],
} as const;

/** The metrics that metric filters count from the functions' log lines. */
export interface LogMetrics {
  /** Runs of the schedule that sent nothing an editor expected (issue builder). */
  scheduleSentNothing: Metric;
  /** Issues that paused themselves (sender, events handler). */
  issuePausedItself: Metric;
  /** Send-queue messages that failed in the sender. */
  sendPageFailed: Metric;
  /** SES events that failed in the events handler. */
  sesEventFailed: Metric;
  /** Minute ticks that found an issue stalled (issue builder). */
  issueStalled: Metric;
  /** Minute ticks that found an issue paused too long (issue builder). */
  issuePausedTooLong: Metric;
  /** The rate of the issue sending, in messages per second, each minute (issue builder). */
  sendRateCap: Metric;
}

/** The functions whose logs the metric filters read. */
export interface LogMetricsProps {
  issueBuilder: NodejsFunction;
  sender: NodejsFunction;
  sesEvents: NodejsFunction;
}

/**
 * The metric filters on the functions' log groups, in the `Newsletter` namespace, each metric
 * without dimensions. Each function logs through Powertools' Logger (`powertoolsLog`), whose
 * JSON object is the log event itself: the line's `message` and its other fields at the top
 * level. Filters of terms match the words anywhere in it, and the rate of `SendRateCap` is
 * read from `$.rate`. A count is 1 per line: summed (`Sum`) over five minutes; the rate is the
 * largest seen in a minute.
 */
export function logMetrics(scope: Construct, props: LogMetricsProps): LogMetrics {
  const count = (metricName: string) =>
    new Metric({
      namespace: LOG_METRICS_NAMESPACE,
      metricName,
      period: Duration.minutes(5),
      statistic: 'Sum',
    });
  const filter = (
    id: string,
    fn: NodejsFunction,
    metricName: string,
    filterPattern: IFilterPattern,
    metricValue = '1',
  ) =>
    new MetricFilter(scope, id, {
      logGroup: fn.logGroup,
      filterPattern,
      metricNamespace: LOG_METRICS_NAMESPACE,
      metricName,
      metricValue,
    });
  const { issueBuilder, sender, sesEvents } = props;
  filter(
    'ScheduleSentNothingFilter',
    issueBuilder,
    SCHEDULE_SENT_NOTHING_METRIC,
    FilterPattern.allTerms(SCHEDULE_SENT_NOTHING_METRIC),
  );
  // The sender and the events handler both pause issues: a filter on each log feeds the one
  // metric, whose sum over both the alarm watches.
  for (const [name, fn] of [
    ['Sender', sender],
    ['SesEvents', sesEvents],
  ] as const) {
    filter(
      `${name}IssuePausedItselfFilter`,
      fn,
      ISSUE_PAUSED_ITSELF_METRIC,
      FilterPattern.allTerms(ISSUE_PAUSED_ITSELF_METRIC),
    );
  }
  filter(
    'SendPageFailedFilter',
    sender,
    SEND_PAGE_FAILED.metric,
    FilterPattern.anyTerm(...SEND_PAGE_FAILED.terms),
  );
  filter(
    'SesEventFailedFilter',
    sesEvents,
    SES_EVENT_FAILED.metric,
    FilterPattern.anyTerm(...SES_EVENT_FAILED.terms),
  );
  for (const metric of [ISSUE_STALLED_METRIC, ISSUE_PAUSED_TOO_LONG_METRIC]) {
    filter(`${metric}Filter`, issueBuilder, metric, FilterPattern.allTerms(metric));
  }
  filter(
    'SendRateCapFilter',
    issueBuilder,
    SEND_RATE_CAP_METRIC,
    FilterPattern.stringValue('$.metric', '=', SEND_RATE_CAP_METRIC),
    '$.rate',
  );
  return {
    scheduleSentNothing: count(SCHEDULE_SENT_NOTHING_METRIC),
    issuePausedItself: count(ISSUE_PAUSED_ITSELF_METRIC),
    sendPageFailed: count(SEND_PAGE_FAILED.metric),
    sesEventFailed: count(SES_EVENT_FAILED.metric),
    issueStalled: count(ISSUE_STALLED_METRIC),
    issuePausedTooLong: count(ISSUE_PAUSED_TOO_LONG_METRIC),
    sendRateCap: new Metric({
      namespace: LOG_METRICS_NAMESPACE,
      metricName: SEND_RATE_CAP_METRIC,
      period: Duration.minutes(1),
      statistic: 'Maximum',
    }),
  };
}
