import { describe, expect, it } from 'vitest';
import type { CancelStep, MessageVisibility, SendPage } from '#core/sending/ports.ts';
import { noCounts, type PageOutcome, type Sender } from '#core/sending/sender.ts';
import { createSendBatchHandler, readMessage, SendPageError } from '#handlers/send-batch.ts';
import { createSesEventsHandler } from '#handlers/ses-events.ts';
import { ledgerRecord } from '../fakes/memory-issue-deps.ts';
import { MemorySendQueue } from '../fakes/memory-sending.ts';
import { MemorySendLedger } from '../fakes/memory-stores.ts';
import { sqsEvent } from './sqs-event.ts';

const ISSUE = '01JISSUE000000000000000000';

/** For tests in which no page comes back (retry-visibility.test.ts tests those that do). */
const unusedVisibility: MessageVisibility = { changeVisibility: async () => {} };

/** A sender whose outcome per page a test decides. */
function fakeSender(outcome: (page: SendPage) => PageOutcome) {
  return { sendPage: async (page: SendPage) => outcome(page) } as unknown as Sender;
}

describe('send-batch handler', () => {
  it('reports a page SES kept refusing as a batch item failure, due back in 10 s, and acknowledges the rest', async () => {
    const queue = new MemorySendQueue();
    const changes: { receiptHandle: string; seconds: number }[] = [];
    const handler = createSendBatchHandler(async () => ({
      sender: fakeSender((page) => ({
        retry: page.subscriberIds.includes('throttled'),
        counts: noCounts(),
        errors: [],
      })),
      queue,
      visibility: {
        changeVisibility: async (receiptHandle, seconds) => {
          changes.push({ receiptHandle, seconds });
        },
      },
      prepare: async () => 0,
      finishCancel: async () => ({ marked: 0, mailed: 0 }),
      checkRates: async () => undefined,
      log: () => {},
    }));
    const pages = [['a'], ['throttled'], ['b']].map((ids) =>
      JSON.stringify({ issueId: ISSUE, subscriberIds: ids }),
    );

    const response = await handler(sqsEvent(pages));

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm2' }]);
    // Its first delivery: 10 s, not the queue's 12-minute visibility timeout.
    expect(changes).toEqual([{ receiptHandle: 'r2', seconds: 10 }]);
  });

  it('puts recipients to look at later back on the queue with their delay', async () => {
    const queue = new MemorySendQueue();
    const handler = createSendBatchHandler(async () => ({
      sender: fakeSender(() => ({
        retry: false,
        later: { subscriberIds: ['x'], delaySeconds: 10 },
        counts: noCounts(),
        errors: [],
      })),
      queue,
      visibility: unusedVisibility,
      prepare: async () => 0,
      finishCancel: async () => ({ marked: 0, mailed: 0 }),
      checkRates: async () => undefined,
      log: () => {},
    }));

    const response = await handler(
      sqsEvent([JSON.stringify({ issueId: ISSUE, subscriberIds: ['x', 'y'] })]),
    );

    expect(response.batchItemFailures).toEqual([]);
    expect(queue.messages).toEqual([
      { page: { issueId: ISSUE, subscriberIds: ['x'] }, delaySeconds: 10 },
    ]);
  });

  it('hands a cancel step to finishCancel, acknowledges it, and sends no page', async () => {
    const steps: CancelStep[] = [];
    const handler = createSendBatchHandler(async () => ({
      sender: fakeSender(() => {
        throw new Error('a cancel step is no page');
      }),
      queue: new MemorySendQueue(),
      visibility: unusedVisibility,
      prepare: async () => 0,
      finishCancel: async (step) => {
        steps.push(step);
        return { marked: 3, mailed: 0 };
      },
      checkRates: async () => undefined,
      log: () => {},
    }));

    const response = await handler(
      sqsEvent([JSON.stringify({ issueId: ISSUE, finishCancel: true })]),
    );

    expect(response.batchItemFailures).toEqual([]);
    expect(steps).toEqual([{ issueId: ISSUE, finishCancel: true }]);
  });

  it('fails a message that is not a page', async () => {
    const handler = createSendBatchHandler(async () => ({
      sender: fakeSender(() => ({ retry: false, counts: noCounts(), errors: [] })),
      queue: new MemorySendQueue(),
      visibility: unusedVisibility,
      prepare: async () => 0,
      finishCancel: async () => ({ marked: 0, mailed: 0 }),
      checkRates: async () => undefined,
      log: () => {},
    }));

    const response = await handler(sqsEvent(['{"issueId":1}']));

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
    expect(() => readMessage('nope')).toThrow(SendPageError);
  });
  it('judges the rates of an issue after a page that sent, and logs the metric when it paused itself', async () => {
    const lines: Record<string, unknown>[] = [];
    const judged: string[] = [];
    const handler = createSendBatchHandler(async () => ({
      sender: fakeSender((page) => ({
        retry: false,
        counts: { ...noCounts(), sent: page.subscriberIds.length },
        errors: [],
      })),
      queue: new MemorySendQueue(),
      visibility: unusedVisibility,
      prepare: async () => 0,
      finishCancel: async () => ({ marked: 0, mailed: 0 }),
      checkRates: async (issueId) => {
        judged.push(issueId);
        return 'bounce rate 8.3 % after 120 sent';
      },
      log: (line) => lines.push(line),
    }));

    await handler(sqsEvent([JSON.stringify({ issueId: ISSUE, subscriberIds: ['a', 'b'] })]));

    expect(judged).toEqual([ISSUE]);
    expect(lines).toContainEqual({
      message: 'issue paused itself',
      metric: 'IssuePausedItself',
      issueId: ISSUE,
      reason: 'bounce rate 8.3 % after 120 sent',
    });
  });

  it('does not judge the rates after a page that sent nothing', async () => {
    const judged: string[] = [];
    const handler = createSendBatchHandler(async () => ({
      sender: fakeSender(() => ({
        retry: false,
        counts: { ...noCounts(), paused: 1 },
        errors: [],
      })),
      queue: new MemorySendQueue(),
      visibility: unusedVisibility,
      prepare: async () => 0,
      finishCancel: async () => ({ marked: 0, mailed: 0 }),
      checkRates: async (issueId) => {
        judged.push(issueId);
        return undefined;
      },
      log: () => {},
    }));

    await handler(sqsEvent([JSON.stringify({ issueId: ISSUE, subscriberIds: ['a'] })]));

    expect(judged).toEqual([]);
  });

  it('logs a failed page without the address its error quotes', async () => {
    const lines: Record<string, unknown>[] = [];
    const handler = createSendBatchHandler(async () => ({
      sender: {
        sendPage: async () => {
          throw new Error('mailbox ada@example.com refused');
        },
      } as unknown as Sender,
      queue: new MemorySendQueue(),
      visibility: unusedVisibility,
      prepare: async () => 0,
      finishCancel: async () => ({ marked: 0, mailed: 0 }),
      checkRates: async () => undefined,
      log: (line) => lines.push(line),
    }));

    await handler(sqsEvent([JSON.stringify({ issueId: ISSUE, subscriberIds: ['a'] })]));

    expect(lines).toEqual([
      expect.objectContaining({
        message: 'page failed',
        error: 'Error: mailbox [address] refused',
      }),
    ]);
  });

  it('hands a preparation step to the container’s preparer', async () => {
    const steps: unknown[] = [];
    const handler = createSendBatchHandler(async () => ({
      sender: fakeSender(() => ({ retry: false, counts: noCounts(), errors: [] })),
      queue: new MemorySendQueue(),
      visibility: unusedVisibility,
      prepare: async (step) => {
        steps.push(step);
        return 0;
      },
      finishCancel: async () => ({ marked: 0, mailed: 0 }),
      checkRates: async () => undefined,
      log: () => {},
    }));

    const response = await handler(
      sqsEvent([JSON.stringify({ issueId: ISSUE, prepareFrom: 'cursor-1' })]),
    );

    expect(response.batchItemFailures).toEqual([]);
    expect(steps).toEqual([{ issueId: ISSUE, prepareFrom: 'cursor-1' }]);
  });
});

describe('ses-events handler', () => {
  function envelope(event: unknown) {
    return JSON.stringify({ Type: 'Notification', Message: JSON.stringify(event) });
  }

  it('settles Send events in the ledger and hands every other event type on', async () => {
    const ledger = new MemorySendLedger();
    ledger.items.set(`${ISSUE}/s1`, {
      issueId: ISSUE,
      subscriberId: 's1',
      status: 'unknown',
      claim: 'c1',
      updatedAt: 'then',
    });
    const delivered: unknown[] = [];
    const handler = createSesEventsHandler(async () => ({
      ledger,
      applyDeliveryEvent: async (event) => delivered.push(event),
      now: () => new Date('2026-11-27T08:00:00Z'),
      checkRates: async () => undefined,
      log: () => {},
    }));
    const send = {
      eventType: 'Send',
      mail: { messageId: 'ses-1', tags: { issueId: [ISSUE], subscriberId: ['s1'] } },
    };
    const bounce = { eventType: 'Bounce', mail: { messageId: 'ses-2' }, bounce: {} };

    const response = await handler(sqsEvent([envelope(send), envelope(bounce)]));

    expect(response.batchItemFailures).toEqual([]);
    expect((await ledger.list(ISSUE))[0]).toMatchObject({ status: 'sent', messageId: 'ses-1' });
    expect(delivered).toEqual([bounce]);
  });

  it('judges the rates of an issue once per batch after a permanent bounce was counted, and logs the metric', async () => {
    const ledger = new MemorySendLedger();
    for (const id of ['s1', 's2']) {
      await ledgerRecord(ledger, ISSUE, id, 'sent', '2026-11-27T08:00:00.000Z');
    }
    const lines: Record<string, unknown>[] = [];
    const judged: string[] = [];
    const handler = createSesEventsHandler(async () => ({
      ledger,
      applyDeliveryEvent: async () => {},
      now: () => new Date('2026-11-27T08:01:00Z'),
      checkRates: async (issueId) => {
        judged.push(issueId);
        return 'bounce rate 6.1 % after 412 sent';
      },
      log: (line) => lines.push(line),
    }));
    const bounce = (subscriberId: string, bounceType: string) => ({
      eventType: 'Bounce',
      mail: {
        messageId: `ses-${subscriberId}`,
        timestamp: '2026-11-27T08:00:00.000Z',
        tags: { issueId: [ISSUE], subscriberId: [subscriberId] },
      },
      bounce: { bounceType, timestamp: '2026-11-27T08:00:30.000Z' },
    });

    await handler(
      sqsEvent([envelope(bounce('s1', 'Permanent')), envelope(bounce('s2', 'Permanent'))]),
    );

    expect(judged).toEqual([ISSUE]);
    expect(lines).toContainEqual({
      message: 'issue paused itself',
      metric: 'IssuePausedItself',
      issueId: ISSUE,
      reason: 'bounce rate 6.1 % after 412 sent',
    });
  });

  it('counts a transient bounce without judging the rates', async () => {
    const ledger = new MemorySendLedger();
    await ledgerRecord(ledger, ISSUE, 's1', 'sent', '2026-11-27T08:00:00.000Z');
    const judged: string[] = [];
    const handler = createSesEventsHandler(async () => ({
      ledger,
      applyDeliveryEvent: async () => {},
      now: () => new Date('2026-11-27T08:01:00Z'),
      checkRates: async (issueId) => {
        judged.push(issueId);
        return undefined;
      },
      log: () => {},
    }));
    const bounce = {
      eventType: 'Bounce',
      mail: { messageId: 'ses-1', tags: { issueId: [ISSUE], subscriberId: ['s1'] } },
      bounce: { bounceType: 'Transient', timestamp: '2026-11-27T08:00:30.000Z' },
    };

    await handler(sqsEvent([envelope(bounce)]));

    expect((await ledger.eventCounts(ISSUE)).bouncedTransient).toBe(1);
    expect(judged).toEqual([]);
  });

  it('fails a message that is no SNS envelope, so it ends in the dead-letter queue', async () => {
    const handler = createSesEventsHandler(async () => ({
      ledger: new MemorySendLedger(),
      applyDeliveryEvent: async () => {},
      now: () => new Date(),
      checkRates: async () => undefined,
      log: () => {},
    }));

    const response = await handler(sqsEvent(['garbage']));

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
  });
});
