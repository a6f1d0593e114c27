import { describe, expect, it } from 'vitest';
import type { SendPage } from '#core/sending/ports.ts';
import { noCounts, type PageOutcome, type Sender } from '#core/sending/sender.ts';
import { createSendBatchHandler } from '#handlers/send-batch.ts';
import { MemorySendQueue } from '../fakes/memory-sending.ts';
import { sqsEvent } from './sqs-event.ts';

const ISSUE = '01JISSUE000000000000000000';

/** The send queue's visibility timeout on AWS: six times the sender's 2-minute timeout. */
const QUEUE_VISIBILITY_SECONDS = 720;

const page = (...subscriberIds: string[]) => JSON.stringify({ issueId: ISSUE, subscriberIds });

/**
 * A send-batch handler whose sender SES throttles for the subscriber `throttled` (the page
 * comes back), sends to `x`, leaves `later` for later and fails on `broken`; the visibility
 * changes it asks for are recorded, or refused with `refusal`.
 */
function handlerWithVisibility(options: { refusal?: string } = {}) {
  const changes: { receiptHandle: string; seconds: number }[] = [];
  const lines: Record<string, unknown>[] = [];
  const sender = {
    sendPage: async ({ subscriberIds }: SendPage): Promise<PageOutcome> => {
      if (subscriberIds.includes('broken')) throw new Error('the ledger did not answer');
      return {
        retry: subscriberIds.includes('throttled'),
        ...(subscriberIds.includes('later')
          ? { later: { subscriberIds: ['later'], delaySeconds: 30 } }
          : {}),
        counts: { ...noCounts(), sent: subscriberIds.includes('x') ? 1 : 0 },
        errors: [],
      };
    },
  } as unknown as Sender;
  const handler = createSendBatchHandler(async () => ({
    sender,
    queue: new MemorySendQueue(),
    visibility: {
      changeVisibility: async (receiptHandle, seconds) => {
        if (options.refusal) throw new Error(options.refusal);
        changes.push({ receiptHandle, seconds });
      },
    },
    prepare: async () => 0,
    finishCancel: async () => ({ marked: 0, mailed: 0 }),
    checkRates: async () => undefined,
    log: (line) => lines.push(line),
  }));
  return { handler, changes, lines };
}

describe('send-batch handler: when a throttled page comes back', () => {
  it('keeps it away for longer each time it was delivered, never as long as the queue would', async () => {
    const { handler, changes } = handlerWithVisibility();
    const deliveries = [1, 2, 3, 4, 5, 6].map((receiveCount) => ({
      body: page('throttled'),
      receiveCount,
    }));

    const response = await handler(sqsEvent(deliveries));

    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual([
      'm1',
      'm2',
      'm3',
      'm4',
      'm5',
      'm6',
    ]);
    expect(changes).toEqual([
      { receiptHandle: 'r1', seconds: 10 },
      { receiptHandle: 'r2', seconds: 40 },
      { receiptHandle: 'r3', seconds: 160 },
      { receiptHandle: 'r4', seconds: 600 },
      { receiptHandle: 'r5', seconds: 600 },
      { receiptHandle: 'r6', seconds: 600 },
    ]);
    expect(Math.max(...changes.map((change) => change.seconds))).toBeLessThan(
      QUEUE_VISIBILITY_SECONDS,
    );
  });

  it('logs the delay with the page', async () => {
    const { handler, lines } = handlerWithVisibility();

    await handler(sqsEvent([{ body: page('throttled'), receiveCount: 2 }]));

    expect(lines).toEqual([
      expect.objectContaining({ message: 'page sent', retry: true, retrySeconds: 40 }),
    ]);
  });

  it('treats a delivery without a readable count as the first', async () => {
    const { handler, changes } = handlerWithVisibility();
    await handler(sqsEvent([{ body: page('throttled'), receiveCount: '' }]));

    expect(changes).toEqual([{ receiptHandle: 'r1', seconds: 10 }]);
  });

  it('leaves every other message as it is: sent, with later recipients, failed, or a step', async () => {
    const { handler, changes } = handlerWithVisibility();

    const response = await handler(
      sqsEvent([
        { body: page('x') },
        { body: page('later') },
        { body: page('broken'), receiveCount: 3 },
        { body: JSON.stringify({ issueId: ISSUE, prepareFrom: 'cursor' }) },
        { body: page('throttled'), receiveCount: 2 },
      ]),
    );

    // The page that failed otherwise comes back after the queue's visibility timeout.
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: 'm3' },
      { itemIdentifier: 'm5' },
    ]);
    expect(changes).toEqual([{ receiptHandle: 'r5', seconds: 40 }]);
  });

  it('still reports the page when SQS refuses the change, and logs why without addresses', async () => {
    const { handler, lines } = handlerWithVisibility({
      refusal: 'MessageNotInflight: ada@example.com',
    });

    const response = await handler(sqsEvent([{ body: page('throttled') }]));

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
    expect(lines).toContainEqual({
      message: 'page retry delay not set',
      messageId: 'm1',
      retrySeconds: 10,
      error: 'Error: MessageNotInflight: [address]',
    });
  });
});
