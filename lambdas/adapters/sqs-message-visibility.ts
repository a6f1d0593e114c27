import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { MessageVisibility } from '#core/sending/ports.ts';

/**
 * When a received message of a queue is delivered again, on SQS (`ChangeMessageVisibility`).
 * Needs `sqs:ChangeMessageVisibility` on the queue, which the CDK's SQS event source grants
 * the function it invokes (with its other consuming actions).
 */
export class SqsMessageVisibility implements MessageVisibility {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async changeVisibility(receiptHandle: string, seconds: number): Promise<void> {
    await this.client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: this.queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: seconds,
      }),
    );
  }
}
