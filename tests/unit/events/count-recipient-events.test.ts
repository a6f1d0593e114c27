import { readFileSync } from 'node:fs';
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { applyDeliveryEvent } from '#core/events/apply-delivery-event.ts';
import { recipientEventCounts, sendCounts } from '#core/sending/send-counts.ts';
import { createSesEventsHandler } from '#handlers/ses-events.ts';
import { MemorySendLedger } from '../fakes/memory-stores.ts';
import { memorySubscriptionDeps } from '../fakes/memory-subscription-stores.ts';

// SES's events, as the ses-events handler receives them from SQS, counted for the issue
// whose message each is about: every recipient once per event type, whatever SQS repeats.

const ISSUE = '01JNQ3V8C2K7ZP4R6T9W1XB5DE';
const OTHER_ISSUE = '01JNT0A4B6C8D1E3F5G7H9J2KM';
const READERS = [
  '01JREADER00000000000000001',
  '01JREADER00000000000000002',
  '01JREADER00000000000000003',
];
const [R1, R2, R3] = READERS as [string, string, string];
const ARTICLE = 'https://news.example.com/articles/night-trains-are-back';
const ARCHIVE = 'https://news.example.com/issues/01JNQ3V8C2K7ZP4R6T9W1XB5DE';

type SesEvent = Record<string, unknown> & {
  mail: { messageId: string; tags: Record<string, string[]> };
};

/** A fixture's SES event, about the message of `subscriberId` in `issueId`. */
function event(name: string, subscriberId: string, issueId = ISSUE): SesEvent {
  const envelope = JSON.parse(
    readFileSync(new URL(`../../fixtures/events/${name}.json`, import.meta.url), 'utf8'),
  ) as { Message: string };
  const parsed = JSON.parse(envelope.Message) as SesEvent;
  parsed.mail.tags = { ...parsed.mail.tags, issueId: [issueId], subscriberId: [subscriberId] };
  return parsed;
}

/** A click of the fixture on another link. */
function click(subscriberId: string, link: string): SesEvent {
  const clicked = event('click', subscriberId);
  (clicked.click as Record<string, unknown>).link = link;
  return clicked;
}

function sqsEvent(events: unknown[]): SQSEvent {
  return {
    Records: events.map((body, index) => ({
      messageId: `m${index + 1}`,
      receiptHandle: `r${index + 1}`,
      body: JSON.stringify({ Type: 'Notification', Message: JSON.stringify(body) }),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '0',
        SenderId: 'test',
        ApproximateFirstReceiveTimestamp: '0',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q',
      awsRegion: 'us-east-1',
    })),
  };
}

/** An issue sent to the three readers, and the handler that applies SES's events to it. */
async function sentIssue(options: { trackEngagement?: boolean } = {}) {
  const ledger = new MemorySendLedger();
  await ledger.addMissing(
    ISSUE,
    READERS.map((subscriberId) => ({ subscriberId, status: 'queued' as const })),
    '2025-03-08T08:00:00.000Z',
  );
  for (const id of READERS) {
    await ledger.update(
      ISSUE,
      id,
      { status: ['queued'] },
      { status: 'sent' },
      '2025-03-08T08:15:03.000Z',
    );
  }
  const deps = memorySubscriptionDeps();
  const lines: Record<string, unknown>[] = [];
  const handler = createSesEventsHandler(async () => ({
    ledger,
    applyDeliveryEvent: (sesEvent) => applyDeliveryEvent(sesEvent, deps),
    ...(options.trackEngagement === undefined ? {} : { trackEngagement: options.trackEngagement }),
    now: () => new Date('2025-03-08T10:00:00.000Z'),
    checkRates: async () => undefined,
    log: (line) => lines.push(line),
  }));
  return { ledger, handler, lines };
}

const counts = recipientEventCounts;

describe('counting what SES reports after a send', () => {
  it('counts each kind of event for the recipient whose message it is about', async () => {
    const { ledger, handler } = await sentIssue();

    const response = await handler(
      sqsEvent([
        event('delivery', R1),
        event('delivery-delay', R2),
        event('bounce-transient', R2),
        event('bounce-permanent', R3),
        event('complaint', R1),
        event('reject', R2),
      ]),
    );

    expect(response.batchItemFailures).toEqual([]);
    expect(await ledger.eventCounts(ISSUE)).toEqual(
      counts({
        delivered: 1,
        delayed: 1,
        bouncedTransient: 1,
        bouncedPermanent: 1,
        complained: 1,
        rejected: 1,
      }),
    );
    // The statuses of the records are the sender's: events leave them as they are.
    expect(await ledger.counts(ISSUE)).toEqual(sendCounts({ sent: 3 }));
  });

  it('counts a recipient once however often SQS delivers the same event', async () => {
    const { ledger, handler } = await sentIssue();
    const delivered = event('delivery', R1);

    await handler(sqsEvent([delivered, delivered, event('delivery', R2)]));
    await handler(sqsEvent([delivered, event('delivery', R2)]));

    expect(await ledger.eventCounts(ISSUE)).toEqual(counts({ delivered: 2 }));
  });

  it('counts a recipient once per type even when SES reports it for two messages', async () => {
    const { ledger, handler } = await sentIssue();
    const first = event('bounce-transient', R1);
    const second = event('bounce-transient', R1);
    second.mail.messageId = '0102019572cd7ef2-another-message-000000';

    await handler(sqsEvent([first, second]));

    expect(await ledger.eventCounts(ISSUE)).toEqual(counts({ bouncedTransient: 1 }));
  });

  it('never counts the events of a test message', async () => {
    const { ledger, handler } = await sentIssue({ trackEngagement: true });
    const tested = ['delivery', 'bounce-transient', 'complaint', 'open', 'click'].map((name) => {
      const tagged = event(name, R1);
      tagged.mail.tags = { ...tagged.mail.tags, purpose: ['test'], testOf: [ISSUE] };
      return tagged;
    });

    const response = await handler(sqsEvent(tested));

    expect(response.batchItemFailures).toEqual([]);
    expect(await ledger.eventCounts(ISSUE)).toEqual(counts());
    expect(await ledger.linkClicks(ISSUE)).toEqual([]);
  });

  it('passes over, without error, an event for a record the ledger does not hold', async () => {
    const { ledger, handler, lines } = await sentIssue();

    const response = await handler(
      sqsEvent([
        event('delivery', '01JFORGOTTEN00000000000001'),
        event('delivery', R1, OTHER_ISSUE),
        event('delivery', R2),
      ]),
    );

    expect(response.batchItemFailures).toEqual([]);
    expect(await ledger.eventCounts(ISSUE)).toEqual(counts({ delivered: 1 }));
    expect(await ledger.eventCounts(OTHER_ISSUE)).toEqual(counts());
    expect(await ledger.list(OTHER_ISSUE)).toEqual([]);
    expect(lines.map((line) => (line.counted as { count: string }).count)).toEqual([
      'repeat',
      'repeat',
      'counted',
    ]);
  });

  it('does not count a complaint that is a not-spam report, nor a message of no issue', async () => {
    const { ledger, handler } = await sentIssue();
    const notSpam = event('complaint', R1);
    (notSpam.complaint as Record<string, unknown>).complaintFeedbackType = 'not-spam';
    const confirmation = event('delivery', R2);
    confirmation.mail.tags = { 'ses:configuration-set': ['newsletter-events'] };

    await handler(sqsEvent([notSpam, confirmation]));

    expect(await ledger.eventCounts(ISSUE)).toEqual(counts());
  });

  it('counts each event in the minute SES says it happened', async () => {
    const { ledger, handler } = await sentIssue();

    await handler(
      sqsEvent([event('delivery', R1), event('delivery-delay', R2), event('delivery', R2)]),
    );

    // The fixtures' times: delivered 08:15:04, delayed 08:20:04.
    expect(await ledger.eventTimeline(ISSUE)).toEqual([
      { minute: '2025-03-08T08:15', counts: counts({ delivered: 2 }) },
      { minute: '2025-03-08T08:20', counts: counts({ delayed: 1 }) },
    ]);
  });
});

describe('counting opens and clicks', () => {
  it('counts none while trackEngagement is off', async () => {
    const { ledger, handler } = await sentIssue({ trackEngagement: false });
    const { ledger: unset, handler: unsetHandler } = await sentIssue();

    await handler(sqsEvent([event('open', R1), event('click', R1)]));
    await unsetHandler(sqsEvent([event('open', R1), event('click', R1)]));

    expect(await ledger.eventCounts(ISSUE)).toEqual(counts());
    expect(await ledger.linkClicks(ISSUE)).toEqual([]);
    expect(await unset.eventCounts(ISSUE)).toEqual(counts());
  });

  it('counts each reader once as opened, however many times they open it', async () => {
    const { ledger, handler } = await sentIssue({ trackEngagement: true });

    await handler(sqsEvent([event('open', R1), event('open', R1), event('open', R2)]));
    await handler(sqsEvent([event('open', R1)]));

    expect(await ledger.eventCounts(ISSUE)).toEqual(counts({ opened: 2 }));
  });

  it('counts each link once per reader, and each reader once as clicked', async () => {
    const { ledger, handler } = await sentIssue({ trackEngagement: true });

    await handler(
      sqsEvent([
        click(R1, ARTICLE),
        click(R1, ARTICLE),
        click(R1, ARCHIVE),
        click(R2, ARTICLE),
        click(R2, ARTICLE),
      ]),
    );
    await handler(sqsEvent([click(R1, ARTICLE), click(R3, ARCHIVE)]));

    // As many clicks each: by address.
    expect(await ledger.linkClicks(ISSUE)).toEqual([
      { link: ARTICLE, clicks: 2 },
      { link: ARCHIVE, clicks: 2 },
    ]);
    expect(await ledger.eventCounts(ISSUE)).toEqual(counts({ clicked: 3 }));
  });

  it('does not count a click on a link that carries a token, such as the unsubscribe link', async () => {
    const { ledger, handler } = await sentIssue({ trackEngagement: true });

    await handler(
      sqsEvent([
        click(R1, 'https://news.example.com/unsubscribe?token=01JREADER00000000000000001.abc'),
        click(R2, 'mailto:editor@example.com'),
      ]),
    );

    expect(await ledger.eventCounts(ISSUE)).toEqual(counts());
    expect(await ledger.linkClicks(ISSUE)).toEqual([]);
  });

  it('logs what it counted without an address or a link', async () => {
    const { handler, lines } = await sentIssue({ trackEngagement: true });

    await handler(sqsEvent([event('delivery', R1), click(R1, ARTICLE)]));

    expect(lines.map((line) => line.counted)).toEqual([
      { count: 'counted', type: 'delivered', issueId: ISSUE },
      { count: 'counted', type: 'clicked', issueId: ISSUE },
    ]);
    expect(JSON.stringify(lines)).not.toContain('@');
    expect(JSON.stringify(lines)).not.toContain('night-trains');
  });
});

describe('a count that fails', () => {
  it('makes the message come back, and counts once when it is applied again', async () => {
    const { ledger, handler } = await sentIssue();
    const recordEvent = ledger.recordEvent.bind(ledger);
    let failures = 1;
    ledger.recordEvent = async (...args) => {
      if (failures-- > 0) throw new Error('DynamoDB is unavailable');
      return recordEvent(...args);
    };
    const delivered = event('delivery', R1);

    const first = await handler(sqsEvent([delivered]));
    const second = await handler(sqsEvent([delivered]));

    expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
    expect(second.batchItemFailures).toEqual([]);
    expect(await ledger.eventCounts(ISSUE)).toEqual(counts({ delivered: 1 }));
  });
});
