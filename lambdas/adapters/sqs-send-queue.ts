import {
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SendQueue, SendQueueMessage } from '#core/sending/ports.ts';

const BATCH_LIMIT = 10;
const MAX_DELAY_SECONDS = 900;
const ATTEMPTS = 5;

/** The send queue on SQS: one message per page (or preparation step), its body the JSON. */
export class SqsSendQueue implements SendQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(pages: readonly SendQueueMessage[], delaySeconds = 0): Promise<void> {
    const delay = Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(delaySeconds)));
    for (let start = 0; start < pages.length; start += BATCH_LIMIT) {
      let entries: SendMessageBatchRequestEntry[] = pages
        .slice(start, start + BATCH_LIMIT)
        .map((page, index) => ({
          Id: String(index),
          MessageBody: JSON.stringify(page),
          ...(delay > 0 ? { DelaySeconds: delay } : {}),
        }));
      for (let attempt = 1; entries.length > 0; attempt++) {
        const result = await this.client.send(
          new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }),
        );
        const failed = new Set((result.Failed ?? []).map((failure) => failure.Id));
        entries = entries.filter((entry) => failed.has(entry.Id));
        if (entries.length > 0 && attempt >= ATTEMPTS) {
          const reason = result.Failed?.[0];
          throw new Error(
            `SQS refused ${entries.length} pages after ${ATTEMPTS} tries: ${reason?.Code}: ${reason?.Message}`,
          );
        }
        if (entries.length > 0) await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  }

  isIdle(): Promise<boolean> {
    return queueIsEmpty(this.client, this.queueUrl);
  }
}

/** True when the queue holds no message: none visible, in flight or delayed. */
export async function queueIsEmpty(client: SQSClient, queueUrl: string): Promise<boolean> {
  const { Attributes: counts = {} } = await client.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return (
    Number(counts.ApproximateNumberOfMessages ?? 0) +
      Number(counts.ApproximateNumberOfMessagesNotVisible ?? 0) +
      Number(counts.ApproximateNumberOfMessagesDelayed ?? 0) ===
    0
  );
}
