import type { SQSClient } from '@aws-sdk/client-sqs';
import type { EventBacklog, EventsWaiting } from '#core/events/ports.ts';
import { queueIsEmpty } from './sqs-send-queue.ts';

/**
 * Whether SES events wait to be applied: the SES events queue and its dead-letter queue, on
 * SQS. A message in the dead-letter queue counts: it may be the `Send` event of a message
 * whose outcome is unknown, and sending that message again would send it twice.
 */
export class SqsEventBacklog implements EventBacklog {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    private readonly deadLetterQueueUrl: string,
  ) {}

  async isDrained(): Promise<boolean> {
    const { queued, deadLettered } = await this.backlog();
    return !queued && !deadLettered;
  }

  async backlog(): Promise<EventsWaiting> {
    const [queue, deadLetters] = await Promise.all([
      queueIsEmpty(this.client, this.queueUrl),
      queueIsEmpty(this.client, this.deadLetterQueueUrl),
    ]);
    return { queued: !queue, deadLettered: !deadLetters };
  }
}
