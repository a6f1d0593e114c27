import { Duration, Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { LogMetrics } from './log-metrics.ts';
import type { QueueWithDeadLetter } from './queue-with-dead-letter.ts';

/**
 * SES puts an account under review at a 5% bounce rate or a 0.1% complaint rate; the alarms
 * fire at four fifths of that, while there is still time to act.
 */
export const REPUTATION_ALARMS = { bounceRate: 0.04, complaintRate: 0.0008 };

/**
 * Oldest message age that raises an alarm, in seconds. SES events must be consumed within
 * minutes, since unknown sends wait for them. A paced send legitimately keeps pages waiting
 * for hours (a million recipients at 14 messages a second take 20 hours).
 */
export const MAX_MESSAGE_AGE = { sesEvents: 15 * 60, send: 36 * 60 * 60 };

/** What the alarms watch, and where they go. */
export interface NewsletterAlarmsProps {
  /** Encrypts the alarm topic. */
  topicKey: IKey;
  /** Subscribed to the alarm topic by email, when given. */
  alarmEmail?: string;
  sendQueues: QueueWithDeadLetter;
  sesEventsQueues: QueueWithDeadLetter;
  scheduleDeadLetter: IQueue;
  issueBuilder: NodejsFunction;
  /** The public HTTP API, and the function behind its public routes (unsubscribing). */
  api: IHttpApi;
  publicApp: NodejsFunction;
  /** What the metric filters count from the functions' logs (`logMetrics`). */
  metrics: LogMetrics;
  /** Hours from which the issue builder reports a paused issue (`pausedAlarmHours`). */
  pausedAlarmHours: number;
}

/**
 * The alarms, all published to one encrypted topic: a message in any dead-letter queue, a
 * send or SES events queue whose oldest message waits too long, a failed scheduled issue, a
 * run of the schedule that sent nothing expected, an issue that paused itself, stalled or
 * stayed paused too long, a send-queue message or an SES event that failed (a batch item
 * failure, before it reaches a dead-letter queue), a 5xx answer of the HTTP API or an error
 * of its public function, and SES bounce or complaint rates nearing SES's review thresholds.
 * @returns the alarm topic
 */
export function newsletterAlarms(scope: Construct, props: NewsletterAlarmsProps): Topic {
  const alarmTopic = alarmTopicOf(scope, props);
  const alarmAction = new SnsAction(alarmTopic);
  const alarm = (id: string, metric: IMetric, threshold: number, description: string) => {
    new Alarm(scope, id, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    }).addAlarmAction(alarmAction);
  };
  const fiveMinutes = { period: Duration.minutes(5), statistic: 'Maximum' };
  const fiveMinuteSum = { period: Duration.minutes(5), statistic: 'Sum' };
  for (const [name, deadLetter, consequence] of [
    ['Send', props.sendQueues.deadLetter, ''],
    [
      'SesEvents',
      props.sesEventsQueues.deadLetter,
      ' An issue whose messages of unknown outcome wait on these events is marked sent with them counted unknown (`newsletter issues show` names the cause); the redrive settles them.',
    ],
    ['Schedule', props.scheduleDeadLetter, ''],
  ] as const) {
    alarm(
      `${name}DeadLetterAlarm`,
      deadLetter.metricApproximateNumberOfMessagesVisible(fiveMinutes),
      1,
      `Messages in the ${name} dead-letter queue: look at them, fix the cause, redrive.${consequence}`,
    );
  }
  alarm(
    'SendQueueAgeAlarm',
    props.sendQueues.queue.metricApproximateAgeOfOldestMessage(fiveMinutes),
    MAX_MESSAGE_AGE.send,
    'A page of recipients has waited too long to be sent: is the sender failing?',
  );
  alarm(
    'SesEventsQueueAgeAlarm',
    props.sesEventsQueues.queue.metricApproximateAgeOfOldestMessage(fiveMinutes),
    MAX_MESSAGE_AGE.sesEvents,
    'SES events are not being consumed: bounces go unsuppressed, unknown sends unresolved.',
  );
  const { metrics } = props;
  alarm(
    'ScheduleSentNothingAlarm',
    metrics.scheduleSentNothing,
    1,
    'The schedule sent nothing an editor expected: no draft approved, or a scheduled or approved issue whose articles went out meanwhile went back to draft. See the issue builder’s log.',
  );
  alarm(
    'IssuePausedItselfAlarm',
    metrics.issuePausedItself,
    1,
    'An issue paused itself: its bounce or complaint rate passed its threshold. `newsletter issues show ID` gives the reason (the ID is in the log line of the sender or the events handler). It holds up every schedule run until someone resumes or cancels it (`newsletter issues resume ID` or `newsletter issues cancel ID`).',
  );
  alarm(
    'IssueStalledAlarm',
    metrics.issueStalled,
    1,
    'An issue has been sending for an hour without advancing: no recipient got an outcome and its ledger did not grow (a canary’s wait does not count). The line `issue stalled` in the issue builder’s log names it. Look at the sender’s errors and failed pages, the send queue and its dead-letter queue, and `newsletter issues show ID`.',
  );
  alarm(
    'IssuePausedTooLongAlarm',
    metrics.issuePausedTooLong,
    1,
    `An issue has been paused for ${props.pausedAlarmHours} hours or more (\`pausedAlarmHours\`): the line \`issue paused too long\` in the issue builder’s log names it. It holds up every schedule run: \`newsletter issues resume ID\` or \`newsletter issues cancel ID\`.`,
  );
  alarm(
    'SendPageFailedAlarm',
    metrics.sendPageFailed,
    1,
    'A send-queue message failed in the sender (the line `page failed` in its log gives the error): SQS delivers it again, and after five receives to the dead-letter queue.',
  );
  alarm(
    'SesEventFailedAlarm',
    metrics.sesEventFailed,
    1,
    'SES events failed in the events handler (the lines `event failed` or `send events failed` in its log give the error): SQS delivers them again, and after five receives to the dead-letter queue. Meanwhile bounces go unsuppressed and unknown sends unresolved.',
  );
  alarm(
    'PublicApi5xxAlarm',
    props.api.metricServerError(fiveMinuteSum),
    1,
    'The HTTP API answered 5xx: readers may fail to subscribe, confirm or unsubscribe. See the public function’s log and the API’s access log.',
  );
  alarm(
    'PublicAppErrorsAlarm',
    props.publicApp.metricErrors(fiveMinuteSum),
    1,
    'The public function failed (unsubscribing goes through it): see its log.',
  );
  alarm(
    'IssueBuilderErrorsAlarm',
    props.issueBuilder.metricErrors(fiveMinuteSum),
    1,
    'The scheduled issue failed: see the issue builder’s log; the next run resumes it.',
  );
  const reputation = (metricName: string) =>
    new Metric({
      namespace: 'AWS/SES',
      metricName,
      statistic: 'Maximum',
      period: Duration.hours(1),
    });
  alarm(
    'BounceRateAlarm',
    reputation('Reputation.BounceRate'),
    REPUTATION_ALARMS.bounceRate,
    'Bounce rate nears the 5% at which SES reviews the account: clean the list.',
  );
  alarm(
    'ComplaintRateAlarm',
    reputation('Reputation.ComplaintRate'),
    REPUTATION_ALARMS.complaintRate,
    'Complaint rate nears the 0.1% at which SES reviews the account.',
  );
  return alarmTopic;
}

/** The encrypted topic that this account's alarms, and only they, may publish to. */
function alarmTopicOf(scope: Construct, props: NewsletterAlarmsProps): Topic {
  const stack = Stack.of(scope);
  const alarmTopic = new Topic(scope, 'AlarmTopic', {
    displayName: 'Newsletter alarms',
    masterKey: props.topicKey,
    enforceSSL: true,
  });
  // The topic's own policy (written for enforceSSL) replaces SNS's default one, so the
  // account's alarms are allowed to publish explicitly.
  alarmTopic.addToResourcePolicy(
    new PolicyStatement({
      actions: ['sns:Publish'],
      principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
      resources: [alarmTopic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: {
          'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*`,
        },
      },
    }),
  );
  if (props.alarmEmail) alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));
  return alarmTopic;
}
