import { describe, expect, it } from 'vitest';
import type { SendPage } from '#core/sending/ports.ts';
import type { SendMetricCounts, SendMetrics } from '#core/sending/send-metrics.ts';
import { noCounts, type PageOutcome, type Sender } from '#core/sending/sender.ts';
import { createSendBatchHandler } from '#handlers/send-batch.ts';
import { createSesEventsHandler } from '#handlers/ses-events.ts';
import { ledgerRecord } from '../fakes/memory-issue-deps.ts';
import { MemorySendQueue } from '../fakes/memory-sending.ts';
import { MemorySendLedger } from '../fakes/memory-stores.ts';
import { sqsEvent } from './sqs-event.ts';

// The senders and the ses-events handler count each issue's send through the `SendMetrics`
// port (on Lambda Powertools' EMF metrics, locally handlers.log): here a port that keeps
// what it was given.

const ISSUE = '01JISSUE000000000000000001';
const OTHER = '01JISSUE000000000000000002';

/** A port that keeps each recording. */
function recordingMetrics() {
  const recorded: { issueId: string; counts: SendMetricCounts }[] = [];
  const metrics: SendMetrics = { record: (issueId, counts) => recorded.push({ issueId, counts }) };
  return { metrics, recorded };
}

describe('the send-batch handler’s metrics', () => {
  it('records each page’s sent, failed, unknown and throttled for its issue, and an issue that paused itself', async () => {
    const { metrics, recorded } = recordingMetrics();
    const outcomes: Record<string, PageOutcome> = {
      [ISSUE]: {
        retry: true,
        later: { subscriberIds: ['u'], delaySeconds: 30 },
        counts: { ...noCounts(), sent: 2, failed: 1, unknown: 1, retry: 1, suppressed: 1 },
        errors: [],
      },
      [OTHER]: { retry: false, counts: { ...noCounts(), sent: 1 }, errors: [] },
    };
    const handler = createSendBatchHandler(async () => ({
      sender: {
        sendPage: async (page: SendPage) => outcomes[page.issueId],
      } as unknown as Sender,
      queue: new MemorySendQueue(),
      visibility: { changeVisibility: async () => {} },
      prepare: async () => 4,
      finishCancel: async () => ({ marked: 1, mailed: 0 }),
      checkRates: async (issueId) => (issueId === ISSUE ? 'bounce rate 8.3 %' : undefined),
      log: () => {},
      metrics,
    }));
    const pages = [
      { issueId: ISSUE, subscriberIds: ['a', 'b', 'c', 'u', 't', 'x'] },
      { issueId: OTHER, subscriberIds: ['d'] },
      // Steps and a message that is no page count nothing.
      { issueId: OTHER, prepareFrom: 'cursor-1' },
      { issueId: OTHER, finishCancel: true },
      { issueId: 1 },
    ].map((body) => JSON.stringify(body));

    await handler(sqsEvent(pages));

    expect(recorded).toEqual([
      { issueId: ISSUE, counts: { sent: 2, failed: 1, unknown: 1, throttled: 1 } },
      { issueId: ISSUE, counts: { paused: 1 } },
      { issueId: OTHER, counts: { sent: 1, failed: 0, unknown: 0, throttled: 0 } },
    ]);
  });
});

describe('the ses-events handler’s metrics', () => {
  const envelope = (event: unknown) =>
    JSON.stringify({ Type: 'Notification', Message: JSON.stringify(event) });
  const mail = (subscriberId: string) => ({
    messageId: `ses-${subscriberId}`,
    timestamp: '2026-11-27T08:00:00.000Z',
    tags: { issueId: [ISSUE], subscriberId: [subscriberId] },
  });
  const bounce = (subscriberId: string, bounceType: string) => ({
    eventType: 'Bounce',
    mail: mail(subscriberId),
    bounce: { bounceType, timestamp: '2026-11-27T08:00:30.000Z' },
  });
  const complaint = (subscriberId: string) => ({
    eventType: 'Complaint',
    mail: mail(subscriberId),
    complaint: { complaintFeedbackType: 'abuse', timestamp: '2026-11-27T08:00:40.000Z' },
  });
  const delivery = (subscriberId: string) => ({
    eventType: 'Delivery',
    mail: mail(subscriberId),
    delivery: { timestamp: '2026-11-27T08:00:10.000Z' },
  });

  it('records each recipient’s permanent bounce and complaint once, and an issue that paused itself', async () => {
    const ledger = new MemorySendLedger();
    for (const id of ['s1', 's2', 's3', 's4']) {
      await ledgerRecord(ledger, ISSUE, id, 'sent', '2026-11-27T08:00:00.000Z');
    }
    const { metrics, recorded } = recordingMetrics();
    const handler = createSesEventsHandler(async () => ({
      ledger,
      applyDeliveryEvent: async () => {},
      now: () => new Date('2026-11-27T08:01:00Z'),
      checkRates: async () => 'complaint rate 0.5 %',
      log: () => {},
      metrics,
    }));

    await handler(
      sqsEvent(
        [
          bounce('s1', 'Permanent'),
          complaint('s2'),
          bounce('s3', 'Transient'),
          delivery('s4'),
          // SQS delivered it again: counted once.
          bounce('s1', 'Permanent'),
        ].map(envelope),
      ),
    );

    expect(recorded).toEqual([
      { issueId: ISSUE, counts: { bounces: 1 } },
      { issueId: ISSUE, counts: { complaints: 1 } },
      { issueId: ISSUE, counts: { paused: 1 } },
    ]);
  });
});
