import { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Dashboard,
  GraphWidget,
  type GraphWidgetProps,
  type IMetric,
  MathExpression,
  Metric,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { SEND_METRIC_NAMES } from '#adapters/powertools-send-metrics.ts';
import { LOG_METRICS_NAMESPACE, type LogMetrics } from './log-metrics.ts';
import { MAX_MESSAGE_AGE, REPUTATION_ALARMS } from './newsletter-alarms.ts';
import { POWERTOOLS_SERVICE } from './newsletter-function.ts';
import type { NewsletterFunctions } from './newsletter-functions.ts';
import type { QueueWithDeadLetter } from './queue-with-dead-letter.ts';

/** What the dashboard shows. */
export interface NewsletterDashboardProps {
  api: IHttpApi;
  functions: NewsletterFunctions;
  sendQueues: QueueWithDeadLetter;
  sesEventsQueues: QueueWithDeadLetter;
  scheduleDeadLetter: IQueue;
  /** What the metric filters count from the functions' logs (`logMetrics`). */
  metrics: LogMetrics;
}

/** SES reviews an account from a 5% bounce rate or a 0.1% complaint rate. */
const SES_REVIEW = { bounceRate: 0.05, complaintRate: 0.001 };

const oneMinute = Duration.minutes(1);
const fiveMinutes = Duration.minutes(5);

/**
 * One dashboard of the whole send, a row each: the send rate against the cap and what the
 * issues need (stalled, paused too long, paused themselves, a schedule run that sent
 * nothing); what the issues' sends counted (the functions' Powertools metrics); the send and SES events queues (depth, age of the oldest message) and the three
 * dead-letter queues; errors per function, batch item failures, and the bounce and complaint
 * rates; the HTTP API's 4xx, 5xx and latency. Alarm thresholds are drawn as lines.
 */
export function newsletterDashboard(scope: Construct, props: NewsletterDashboardProps): Dashboard {
  const { api, functions, sendQueues, sesEventsQueues, metrics } = props;
  const dashboard = new Dashboard(scope, 'Dashboard', { defaultInterval: Duration.hours(24) });
  const graph = (title: string, left: IMetric[], extra: Partial<GraphWidgetProps> = {}) =>
    new GraphWidget({ title, left, width: 8, height: 6, ...extra });

  dashboard.addWidgets(
    graph(
      'Send rate against the cap (messages per second)',
      [sendRate(), metrics.sendRateCap.with({ label: 'cap: the rate of the issue sending' })],
      { width: 12 },
    ),
    graph(
      'Issues that need someone (log lines per 5 minutes)',
      [
        metrics.issueStalled.with({ label: 'stalled for an hour' }),
        metrics.issuePausedTooLong.with({ label: 'paused too long' }),
        metrics.issuePausedItself.with({ label: 'paused itself (bounces, complaints)' }),
        metrics.scheduleSentNothing.with({ label: 'schedule sent nothing expected' }),
      ],
      { width: 12 },
    ),
  );
  dashboard.addWidgets(
    graph(
      'Sends: recipients and events counted by the functions (per 5 minutes)',
      Object.values(SEND_METRIC_NAMES).map(
        (metricName) =>
          new Metric({
            namespace: LOG_METRICS_NAMESPACE,
            metricName,
            dimensionsMap: { service: POWERTOOLS_SERVICE },
            period: fiveMinutes,
            statistic: 'Sum',
          }),
      ),
      { width: 24 },
    ),
  );
  const queue = (q: IQueue, label: string, metric: 'depth' | 'age') =>
    metric === 'depth'
      ? q.metricApproximateNumberOfMessagesVisible({
          period: oneMinute,
          statistic: 'Maximum',
          label,
        })
      : q.metricApproximateAgeOfOldestMessage({ period: oneMinute, statistic: 'Maximum', label });
  dashboard.addWidgets(
    graph('Queues: messages waiting', [
      queue(sendQueues.queue, 'send queue', 'depth'),
      queue(sesEventsQueues.queue, 'SES events queue', 'depth'),
    ]),
    graph(
      'Queues: age of the oldest message (seconds)',
      [queue(sesEventsQueues.queue, 'SES events queue', 'age')],
      {
        right: [queue(sendQueues.queue, 'send queue (right)', 'age')],
        leftAnnotations: [{ value: MAX_MESSAGE_AGE.sesEvents, label: 'SES events alarm' }],
        rightAnnotations: [{ value: MAX_MESSAGE_AGE.send, label: 'send alarm' }],
      },
    ),
    graph('Dead-letter queues: messages', [
      queue(sendQueues.deadLetter, 'send', 'depth'),
      queue(sesEventsQueues.deadLetter, 'SES events', 'depth'),
      queue(props.scheduleDeadLetter, 'schedule', 'depth'),
    ]),
  );
  const errors = (fn: IFunction, label: string) =>
    fn.metricErrors({ period: fiveMinutes, statistic: 'Sum', label });
  dashboard.addWidgets(
    graph('Errors per function (per 5 minutes)', [
      errors(functions.httpApi, 'public app'),
      errors(functions.editorApi, 'editor API'),
      errors(functions.issueBuilder, 'issue builder'),
      errors(functions.sender, 'sender'),
      errors(functions.sesEvents, 'SES events'),
    ]),
    graph('Batch item failures (per 5 minutes)', [
      metrics.sendPageFailed.with({ label: 'send-queue messages failed' }),
      metrics.sesEventFailed.with({ label: 'SES events failed' }),
    ]),
    bounceAndComplaintRates(),
  );
  dashboard.addWidgets(
    graph(
      'HTTP API: 4xx and 5xx answers (per 5 minutes)',
      [
        api.metricClientError({ period: fiveMinutes, statistic: 'Sum', label: '4xx' }),
        api.metricServerError({ period: fiveMinutes, statistic: 'Sum', label: '5xx' }),
      ],
      { width: 12 },
    ),
    graph(
      'HTTP API: latency (milliseconds)',
      [
        api.metricLatency({ period: fiveMinutes, statistic: 'p50', label: 'p50' }),
        api.metricLatency({ period: fiveMinutes, statistic: 'p99', label: 'p99' }),
        api.metricIntegrationLatency({
          period: fiveMinutes,
          statistic: 'p99',
          label: 'p99 of the functions',
        }),
      ],
      { width: 12 },
    ),
  );
  return dashboard;
}

/** An SES metric of the account, in the `AWS/SES` namespace. */
function ses(metricName: string, period: Duration, statistic: string, label?: string): Metric {
  return new Metric({
    namespace: 'AWS/SES',
    metricName,
    period,
    statistic,
    ...(label ? { label } : {}),
  });
}

/** Messages SES took each second: its `Send` events of a minute, divided by 60. */
function sendRate(): MathExpression {
  return new MathExpression({
    expression: 'sent / PERIOD(sent)',
    usingMetrics: { sent: ses('Send', oneMinute, 'Sum') },
    label: 'sent (SES Send events)',
    period: oneMinute,
  });
}

/**
 * Bounce and complaint rates: SES's own (`Reputation.*`, what its review looks at, the alarms'
 * metrics) and each hour's from SES's events (bounces or complaints ÷ messages sent); the
 * complaint rates on the right axis, fifty times smaller.
 */
function bounceAndComplaintRates(): GraphWidget {
  const hourly = (name: 'Bounce' | 'Complaint', label: string) => {
    const id = name.toLowerCase();
    return new MathExpression({
      expression: `${id} / sent`,
      usingMetrics: {
        [id]: ses(name, Duration.hours(1), 'Sum'),
        sent: ses('Send', Duration.hours(1), 'Sum'),
      },
      label,
      period: Duration.hours(1),
    });
  };
  return new GraphWidget({
    title: 'Bounce and complaint rates (complaints on the right)',
    width: 8,
    height: 6,
    left: [
      ses('Reputation.BounceRate', Duration.hours(1), 'Maximum', 'bounce rate (SES reputation)'),
      hourly('Bounce', 'bounces ÷ sent, each hour'),
    ],
    right: [
      ses(
        'Reputation.ComplaintRate',
        Duration.hours(1),
        'Maximum',
        'complaint rate (SES reputation)',
      ),
      hourly('Complaint', 'complaints ÷ sent, each hour'),
    ],
    leftAnnotations: [
      { value: REPUTATION_ALARMS.bounceRate, label: 'bounce alarm' },
      { value: SES_REVIEW.bounceRate, label: 'SES review' },
    ],
    rightAnnotations: [
      { value: REPUTATION_ALARMS.complaintRate, label: 'complaint alarm' },
      { value: SES_REVIEW.complaintRate, label: 'SES review' },
    ],
  });
}
