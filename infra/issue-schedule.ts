import { Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { Config } from '#core/common/config.ts';
import { acknowledgeWildcardResource } from './acknowledge-wildcard.ts';

/**
 * The schedules that invoke the issue builder, through a role that may invoke only it: the
 * recurring one (`scheduleExpression` in `scheduleTimeZone`), retrying twice within an hour,
 * a tick every minute (`{ tick: true }`) that sends scheduled issues once they are due, so
 * that editors need no Scheduler permissions, and mails the sign-ups' confirmations due, and a
 * daily run that erases forgotten sign-ups (`{ eraseStalePendings: true }`). Invocations that still fail go to a dead-letter
 * queue.
 * @returns that dead-letter queue
 */
export function issueSchedule(scope: Construct, config: Config, issueBuilder: IFunction): Queue {
  const deadLetter = new Queue(scope, 'ScheduleDeadLetterQueue', {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(deadLetter).acknowledge(
    {
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself a dead-letter queue: the schedule’s, for failed invocations.',
    },
    {
      id: 'cdk-validator-cfnguard::sqs_dlq_check',
      reason:
        'This queue is itself a dead-letter queue: the schedule’s, for failed invocations. ' +
        'No queue sends it messages, so a RedriveAllowPolicy (allowAll or byQueue, the ' +
        'values the control accepts) would only let queues use it that have no need to.',
    },
  );
  const role = new Role(scope, 'IssueScheduleRole', {
    assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
    }),
    description: 'Lets the schedule invoke the issue builder',
  });
  acknowledgeWildcardResource(
    role,
    `${issueBuilder.functionArn}:*`,
    'Granted by the scheduler target: the builder’s own versions and aliases, nothing else.',
  );
  new Schedule(scope, 'IssueTick', {
    description: 'Sends a scheduled issue once it is due',
    schedule: ScheduleExpression.rate(Duration.minutes(1)),
    target: new LambdaInvoke(issueBuilder, {
      role,
      input: ScheduleTargetInput.fromObject({ tick: true }),
      deadLetterQueue: deadLetter,
      // The next tick, a minute later, does the same: no retry to pile up behind it.
      retryAttempts: 0,
      maxEventAge: Duration.minutes(1),
    }),
  });
  new Schedule(scope, 'SignupErasure', {
    description: 'Erases sign-ups never confirmed within pendingDays',
    schedule: ScheduleExpression.rate(Duration.days(1)),
    target: new LambdaInvoke(issueBuilder, {
      role,
      input: ScheduleTargetInput.fromObject({ eraseStalePendings: true }),
      deadLetterQueue: deadLetter,
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
    }),
  });
  new Schedule(scope, 'IssueSchedule', {
    description: 'Builds and sends the next issue',
    schedule: ScheduleExpression.expression(
      config.scheduleExpression,
      TimeZone.of(config.scheduleTimeZone),
    ),
    target: new LambdaInvoke(issueBuilder, {
      role,
      deadLetterQueue: deadLetter,
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
    }),
  });
  return deadLetter;
}
