import { readFileSync } from 'node:fs';
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { addressHash } from '#core/common/address-hash.ts';
import { applyDeliveryEvent } from '#core/events/apply-delivery-event.ts';
import { sendEventOf } from '#core/events/ses-notification.ts';
import { isTestMessage } from '#core/events/test-message-tag.ts';
import { addSubscriber } from '#core/subscribers/add-subscriber.ts';
import { createSesEventsHandler } from '#handlers/ses-events.ts';
import { MemorySendLedger } from '../fakes/memory-stores.ts';
import { memorySubscriptionDeps } from '../fakes/memory-subscription-stores.ts';

const ISSUE = '01JNQ3V8C2K7ZP4R6T9W1XB5DE';
/** The subscriber the fixtures' `Send` and permanent bounce were sent to. */
const FIXTURE_SUBSCRIBER = '01JNQ3W1R8M4TQ6V2Y9A3CF7GH';

type SesEvent = Record<string, unknown> & {
  mail: { messageId: string; tags: Record<string, string[]> };
};

/** A fixture's SES event as SES reports it for a test message: tagged `purpose=test`. */
function testEvent(name: string, keepIssueTags = false): SesEvent {
  const envelope = JSON.parse(
    readFileSync(new URL(`../../fixtures/events/${name}.json`, import.meta.url), 'utf8'),
  ) as { Message: string };
  const event = JSON.parse(envelope.Message) as SesEvent;
  const { issueId, subscriberId, ...sesTags } = event.mail.tags;
  event.mail.tags = {
    ...sesTags,
    ...(keepIssueTags ? { issueId, subscriberId } : {}),
    purpose: ['test'],
    testOf: [ISSUE],
  } as Record<string, string[]>;
  return event;
}

async function withReader(email: string, transientBounces?: string[]) {
  const deps = memorySubscriptionDeps();
  const { subscriber } = await addSubscriber(deps, { email }, { source: 'cli' });
  if (transientBounces) await deps.subscribers.update(subscriber.id, { transientBounces });
  return { deps, subscriber };
}

describe('isTestMessage', () => {
  it('tells a test message’s event from an issue message’s', () => {
    const issueMessage = testEvent('send');
    issueMessage.mail.tags = { issueId: [ISSUE], subscriberId: ['s1'] };

    expect(isTestMessage(testEvent('send'))).toBe(true);
    expect(isTestMessage(issueMessage)).toBe(false);
    expect(isTestMessage({ eventType: 'Bounce', mail: { messageId: 'm' } })).toBe(false);
  });
});

describe('applyDeliveryEvent for a test message', () => {
  it('suppresses a subscriber’s address at a permanent bounce, as for an issue', async () => {
    const { deps } = await withReader('bounce@simulator.amazonses.com');

    const outcome = await applyDeliveryEvent(testEvent('bounce-permanent'), deps);

    expect(outcome).toMatchObject({ eventType: 'Bounce', test: true });
    expect(deps.subscribers.items[0]).toMatchObject({
      status: 'suppressed',
      suppression: { reason: 'bounce', detail: 'Permanent/General' },
    });
    expect(
      await deps.suppressions.get(addressHash(deps.hashKey, 'bounce@simulator.amazonses.com')),
    ).toMatchObject({ reason: 'bounce' });
  });

  it('suppresses an address that is no subscriber’s at a permanent bounce', async () => {
    const deps = memorySubscriptionDeps();

    await applyDeliveryEvent(testEvent('bounce-permanent'), deps);

    expect(
      await deps.suppressions.get(addressHash(deps.hashKey, 'bounce@simulator.amazonses.com')),
    ).toMatchObject({ reason: 'bounce', detail: 'Permanent/General' });
    expect(deps.subscribers.items).toEqual([]);
  });

  it('suppresses the address when its owner complains', async () => {
    const { deps } = await withReader('complaint@simulator.amazonses.com');

    await applyDeliveryEvent(testEvent('complaint'), deps);

    expect(deps.subscribers.items[0]).toMatchObject({
      status: 'suppressed',
      suppression: { reason: 'complaint', detail: 'abuse' },
    });
  });

  it('does not count a transient bounce against the address', async () => {
    const { deps } = await withReader('full.mailbox@example.org', ['earlier-1', 'earlier-2']);
    const before = structuredClone(deps.subscribers.items);

    const outcome = await applyDeliveryEvent(testEvent('bounce-transient'), deps);

    expect(outcome.recipients).toEqual([{ address: expect.any(String), action: 'none' }]);
    expect(deps.subscribers.items).toEqual(before);
    expect(deps.suppressions.items.size).toBe(0);
  });

  it('does not clear an address’s transient bounces on delivery', async () => {
    const { deps } = await withReader('full.mailbox@example.org', ['earlier-1']);
    const before = structuredClone(deps.subscribers.items);

    const outcome = await applyDeliveryEvent(testEvent('delivery'), deps);

    expect(outcome).toMatchObject({ eventType: 'Delivery', test: true, recipients: [] });
    expect(deps.subscribers.items).toEqual(before);
  });
});

describe('the ses-events handler with a test message’s events', () => {
  function sqsEvent(events: unknown[]): SQSEvent {
    return {
      Records: events.map((event, index) => ({
        messageId: `m${index + 1}`,
        receiptHandle: `r${index + 1}`,
        body: JSON.stringify({ Type: 'Notification', Message: JSON.stringify(event) }),
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

  async function setup() {
    const { deps } = await withReader('bounce@simulator.amazonses.com');
    const ledger = new MemorySendLedger();
    // The issue's own message to the fixtures' subscriber, of unknown outcome: a Send event
    // of that issue and subscriber would settle it as sent.
    await ledger.addMissing(
      ISSUE,
      [{ subscriberId: FIXTURE_SUBSCRIBER, status: 'queued' }],
      'then',
    );
    await ledger.update(
      ISSUE,
      FIXTURE_SUBSCRIBER,
      { status: ['queued'] },
      { status: 'unknown', claim: 'c1' },
      'then',
    );
    const lines: Record<string, unknown>[] = [];
    const handler = createSesEventsHandler(async () => ({
      ledger,
      applyDeliveryEvent: (event) => applyDeliveryEvent(event, deps),
      now: deps.now,
      checkRates: async () => undefined,
      log: (line) => lines.push(line),
    }));
    return { deps, ledger, handler, lines };
  }

  it('suppresses at a permanent bounce and leaves the send ledger alone', async () => {
    const { deps, ledger, handler, lines } = await setup();
    const before = await ledger.list(ISSUE);

    const response = await handler(
      sqsEvent([testEvent('send'), testEvent('delivery'), testEvent('bounce-permanent')]),
    );

    expect(response.batchItemFailures).toEqual([]);
    expect(await ledger.list(ISSUE)).toEqual(before);
    expect(deps.subscribers.items[0]?.status).toBe('suppressed');
    expect(JSON.stringify(lines)).not.toContain('@');
  });

  it('never takes a test message’s Send event for an issue’s, whatever else it is tagged', async () => {
    const { ledger, handler } = await setup();
    const send = testEvent('send', true);
    const before = await ledger.list(ISSUE);

    const response = await handler(sqsEvent([send]));

    expect(sendEventOf(send)).toBeUndefined();
    expect(response.batchItemFailures).toEqual([]);
    expect(await ledger.list(ISSUE)).toEqual(before);
  });
});
