import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addressHash } from '#core/common/address-hash.ts';
import { applyDeliveryEvent, DeliveryEventError } from '#core/events/apply-delivery-event.ts';
import { addSubscriber } from '#core/subscribers/add-subscriber.ts';
import { forgetSubscriber } from '#core/subscribers/forget-subscriber.ts';
import { memorySubscriptionDeps } from '../fakes/memory-subscription-stores.ts';

type SesEvent = Record<string, unknown> & {
  mail: { messageId: string };
  bounce?: Record<string, unknown>;
  complaint?: Record<string, unknown>;
};

/** The SES event inside a fixture's SNS envelope (a fresh copy each time). */
function sesEvent(name: string): SesEvent {
  const envelope = JSON.parse(
    readFileSync(new URL(`../../fixtures/events/${name}.json`, import.meta.url), 'utf8'),
  ) as { Message: string };
  return JSON.parse(envelope.Message) as SesEvent;
}

/** The transient-bounce fixture as if SES reported it for another message. */
function transientBounce(messageNumber: number, subType = 'MailboxFull'): SesEvent {
  const event = sesEvent('bounce-transient');
  event.mail.messageId = `0102019572cd7ef2-message-${messageNumber}-000000`;
  (event.bounce as Record<string, unknown>).bounceSubType = subType;
  return event;
}

async function withReader(email: string) {
  const deps = memorySubscriptionDeps();
  const { subscriber } = await addSubscriber(deps, { email }, { source: 'cli' });
  return { deps, subscriber };
}

describe('applyDeliveryEvent', () => {
  it('suppresses an address at its first permanent bounce, keeping the reason', async () => {
    const { deps, subscriber } = await withReader('bounce@simulator.amazonses.com');

    const outcome = await applyDeliveryEvent(sesEvent('bounce-permanent'), deps);

    expect(outcome.recipients).toEqual([
      { address: expect.any(String), subscriberId: subscriber.id, action: 'suppressed' },
    ]);
    expect(deps.subscribers.items[0]).toMatchObject({
      status: 'suppressed',
      suppression: {
        reason: 'bounce',
        detail: 'Permanent/General',
        at: '2025-03-07T08:00:00.000Z',
      },
    });
  });

  it('suppresses an address at once when its owner complains', async () => {
    const { deps } = await withReader('complaint@simulator.amazonses.com');

    await applyDeliveryEvent(sesEvent('complaint'), deps);

    expect(deps.subscribers.items[0]).toMatchObject({
      status: 'suppressed',
      suppression: { reason: 'complaint', detail: 'abuse' },
    });
  });

  it('does not take a not-spam report for a complaint', async () => {
    const { deps } = await withReader('complaint@simulator.amazonses.com');
    const event = sesEvent('complaint');
    (event.complaint as Record<string, unknown>).complaintFeedbackType = 'not-spam';

    await applyDeliveryEvent(event, deps);

    expect(deps.subscribers.items[0]?.status).toBe('active');
  });

  it('counts transient bounces and suppresses at the configured number', async () => {
    const { deps } = await withReader('full.mailbox@example.org');

    const first = await applyDeliveryEvent(transientBounce(1), deps);
    await applyDeliveryEvent(transientBounce(2), deps);
    expect(deps.subscribers.items[0]?.status).toBe('active');
    await applyDeliveryEvent(transientBounce(3), deps);

    expect(first.recipients[0]).toMatchObject({ action: 'counted', transientBounces: 1 });
    expect(deps.subscribers.items[0]).toMatchObject({
      status: 'suppressed',
      suppression: {
        reason: 'bounce',
        detail: '3 transient bounces, the last Transient/MailboxFull',
      },
    });
  });

  it('counts a bounce delivered twice once', async () => {
    const { deps } = await withReader('full.mailbox@example.org');

    for (let n = 0; n < 5; n++) await applyDeliveryEvent(transientBounce(1), deps);

    expect(deps.subscribers.items[0]).toMatchObject({
      status: 'active',
      transientBounces: [expect.any(String)],
    });
  });

  it('starts the count again after a delivery', async () => {
    const { deps } = await withReader('full.mailbox@example.org');
    await applyDeliveryEvent(transientBounce(1), deps);
    await applyDeliveryEvent(transientBounce(2), deps);

    const delivered = await applyDeliveryEvent(sesEvent('delivery'), deps);
    await applyDeliveryEvent(transientBounce(3), deps);

    expect(delivered.recipients[0]?.action).toBe('reset');
    expect(deps.subscribers.items[0]).toMatchObject({
      status: 'active',
      transientBounces: [expect.any(String)],
    });
  });

  it('does not count a bounce caused by the message rather than the address', async () => {
    const { deps } = await withReader('full.mailbox@example.org');

    for (let n = 1; n <= 3; n++) {
      await applyDeliveryEvent(transientBounce(n, 'MessageTooLarge'), deps);
    }

    expect(deps.subscribers.items[0]).toMatchObject({ status: 'active' });
    expect(deps.subscribers.items[0]?.transientBounces).toBeUndefined();
  });

  it('changes nothing for Send and Reject events', async () => {
    const { deps } = await withReader('bounce@simulator.amazonses.com');
    await addSubscriber(deps, { email: 'reader@example.org' }, { source: 'cli' });
    const before = structuredClone(deps.subscribers.items);

    await applyDeliveryEvent(sesEvent('send'), deps);
    await applyDeliveryEvent(sesEvent('reject'), deps);

    expect(deps.subscribers.items).toEqual(before);
    expect(deps.suppressions.items.size).toBe(0);
  });

  it('keeps the first reason when an address is suppressed again', async () => {
    const { deps } = await withReader('bounce@simulator.amazonses.com');
    await applyDeliveryEvent(sesEvent('bounce-permanent'), deps);
    deps.clock.advance(60);

    await applyDeliveryEvent(sesEvent('bounce-permanent'), deps);

    expect(deps.subscribers.items[0]?.suppression?.at).toBe('2025-03-07T08:00:00.000Z');
  });

  it('keeps a bounce of a forgotten address, so it comes back suppressed', async () => {
    const { deps, subscriber } = await withReader('bounce@simulator.amazonses.com');
    await forgetSubscriber(deps, subscriber);

    await applyDeliveryEvent(sesEvent('bounce-permanent'), deps);
    const back = await addSubscriber(
      deps,
      { email: 'bounce@simulator.amazonses.com' },
      { source: 'import' },
    );

    expect(back.subscriber.status).toBe('suppressed');
    expect(
      deps.suppressions.items.get(addressHash(deps.hashKey, 'bounce@simulator.amazonses.com')),
    ).toMatchObject({ reason: 'bounce' });
  });

  it('names no address in what it reports', async () => {
    const { deps } = await withReader('bounce@simulator.amazonses.com');

    const outcome = await applyDeliveryEvent(sesEvent('bounce-permanent'), deps);

    expect(JSON.stringify(outcome)).not.toContain('@');
  });

  it('names an address by its keyed hash, not by its unkeyed SHA-256', async () => {
    const email = 'bounce@simulator.amazonses.com';
    const { deps } = await withReader(email);
    const otherKey = { ...memorySubscriptionDeps(), hashKey: new Uint8Array(32).fill(9) };

    const logged = (await applyDeliveryEvent(sesEvent('bounce-permanent'), deps)).recipients[0];
    const underOtherKey = (await applyDeliveryEvent(sesEvent('bounce-permanent'), otherKey))
      .recipients[0];

    const unkeyed = createHash('sha256').update(email).digest();
    const guesses = (['hex', 'base64', 'base64url'] as const).map((form) => unkeyed.toString(form));
    const name = logged?.address ?? '';
    expect(name).toBe(addressHash(deps.hashKey, email));
    expect(guesses.filter((guess) => guess.includes(name.slice(0, 8)))).toEqual([]);
    expect(underOtherKey?.address).not.toBe(name);
  });

  it('names one address alike in every event, and two addresses apart', async () => {
    const { deps } = await withReader('full.mailbox@example.org');

    const bounced = await applyDeliveryEvent(transientBounce(1), deps);
    const delivered = await applyDeliveryEvent(sesEvent('delivery'), deps);
    const other = await applyDeliveryEvent(sesEvent('bounce-permanent'), deps);

    expect(bounced.recipients[0]?.address).toBe(delivered.recipients[0]?.address);
    expect(other.recipients[0]?.address).not.toBe(bounced.recipients[0]?.address);
  });

  it('refuses a message that is not an SES event, naming what is missing', async () => {
    const deps = memorySubscriptionDeps();

    await expect(applyDeliveryEvent({ eventType: 'Bounce' }, deps)).rejects.toThrow(
      new DeliveryEventError(
        'not an SES event: mail: Invalid input: expected object, received undefined',
      ),
    );
  });
});
