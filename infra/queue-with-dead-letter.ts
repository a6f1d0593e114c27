import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { QueueDefinition } from '#adapters/resources.ts';

/** A queue and the dead-letter queue its failed messages end in. */
export interface QueueWithDeadLetter {
  queue: Queue;
  deadLetter: Queue;
}

/**
 * A queue with SSE, TLS enforced and a dead-letter queue, as `resources.ts` describes it:
 * `<id>Queue` and `<id>DeadLetterQueue` in `scope`.
 * @param consumerTimeout the timeout of the function that consumes the queue
 */
export function queueWithDeadLetter(
  scope: Construct,
  id: string,
  definition: QueueDefinition,
  consumerTimeout: Duration,
): QueueWithDeadLetter {
  const common = {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    // A paced send of a large list takes days; the default four would drop its pages.
    retentionPeriod: Duration.days(14),
  };
  const deadLetter = new Queue(scope, `${id}DeadLetterQueue`, common);
  Validations.of(deadLetter).acknowledge({
    id: 'cdk-validator-cfnguard::sqs_dlq_check',
    reason:
      'This queue is itself a dead-letter queue, of the queue below. Allowing only that ' +
      'queue to use it (a RedriveAllowPolicy byQueue) would name that queue, which names ' +
      'this one: a circular reference; allowAll would only restate what SQS does anyway.',
  });
  const queue = new Queue(scope, `${id}Queue`, {
    ...common,
    // Lambda's advice for SQS event sources: six times the function's timeout.
    visibilityTimeout: Duration.seconds(consumerTimeout.toSeconds() * 6),
    deadLetterQueue: { queue: deadLetter, maxReceiveCount: definition.deadLetter.maxReceiveCount },
  });
  return { queue, deadLetter };
}
