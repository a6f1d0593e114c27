import { describe, expect, it } from 'vitest';
import { addressHash } from '#core/common/address-hash.ts';
import { addSubscriber } from '#core/subscribers/add-subscriber.ts';
import { forgetSubscriber } from '#core/subscribers/forget-subscriber.ts';
import { FIRST_KID, nextKid } from '#core/subscribers/link-keys.ts';
import { sendDueConfirmations } from '#core/subscribers/send-due-confirmations.ts';
import { subscribe } from '#core/subscribers/subscribe.ts';
import { signSubscriberToken } from '#core/subscribers/subscriber-token.ts';
import { suppressAddress } from '#core/subscribers/suppress-address.ts';
import { previewUnsubscribe, unsubscribe } from '#core/subscribers/unsubscribe.ts';
import { memorySubscriptionDeps } from '../fakes/memory-subscription-stores.ts';

type Deps = ReturnType<typeof memorySubscriptionDeps>;

const bounce = {
  reason: 'bounce',
  detail: 'Permanent/General',
  at: '2025-03-01T00:00:00.000Z',
} as const;

/**
 * A list with an address suppressed after a bounce and then forgotten, and an address only
 * forgotten: neither is kept but as a keyed hash.
 */
async function listWithForgottenAddresses(): Promise<Deps> {
  const deps = memorySubscriptionDeps();
  await addSubscriber(deps, { email: 'bounced@example.org' }, { source: 'cli' });
  await suppressAddress(deps, 'bounced@example.org', bounce);
  await forgetSubscriber(deps, deps.subscribers.items[0] as never);
  const { subscriber } = await addSubscriber(
    deps,
    { email: 'forgotten@example.org' },
    { source: 'cli' },
  );
  await forgetSubscriber(deps, subscriber);
  expect(deps.subscribers.items).toEqual([]);
  return deps;
}

async function rotate(deps: Deps): Promise<string> {
  const now = deps.now();
  const kid = nextKid(now, (await deps.linkKeys.current()).byKid.keys());
  await deps.linkKeys.add(kid, now);
  return kid;
}

/** Neither address gets in: the form queues and drops, an editor's add keeps them out. */
async function expectBothStillRefused(deps: Deps): Promise<void> {
  await subscribe(deps, { email: 'bounced@example.org' });
  expect(await sendDueConfirmations(deps)).toEqual({ stored: 0, sent: 0, dropped: 1 });
  expect(deps.mailer.sent).toEqual([]);
  expect(deps.subscribers.items).toEqual([]);

  const bounced = await addSubscriber(deps, { email: 'bounced@example.org' }, { source: 'cli' });
  expect(bounced).toMatchObject({
    created: true,
    heldBy: 'bounce',
    subscriber: { status: 'suppressed', suppression: bounce },
  });
  const forgotten = await addSubscriber(
    deps,
    { email: 'forgotten@example.org' },
    { source: 'import' },
  );
  expect(forgotten).toMatchObject({
    created: true,
    heldBy: 'forgotten',
    subscriber: { status: 'unsubscribed', unsubscribedVia: 'forgotten' },
  });
  // Put back as they were, for the next step.
  for (const subscriber of [bounced.subscriber, forgotten.subscriber]) {
    await deps.subscribers.remove(subscriber.id);
  }
}

describe('rotating and retiring link keys', () => {
  it('keeps a suppressed, forgotten address and a forgotten one out after a rotation and after retiring the old key', async () => {
    const deps = await listWithForgottenAddresses();
    const hashes = [...deps.suppressions.items.keys()].sort();

    const kid = await rotate(deps);
    await expectBothStillRefused(deps);

    await deps.linkKeys.remove(FIRST_KID);
    expect([...deps.linkKeys.keys.byKid.keys()]).toEqual([kid]);
    await expectBothStillRefused(deps);

    // The hashes are those of the hash key, which neither step touched.
    expect([...deps.suppressions.items.keys()].sort()).toEqual(hashes);
    expect(hashes).toEqual(
      [
        addressHash(deps.hashKey, 'bounced@example.org'),
        addressHash(deps.hashKey, 'forgotten@example.org'),
      ].sort(),
    );
  });

  it('lets a link signed before a rotation unsubscribe after it, and refuses it once its key is retired', async () => {
    const deps = memorySubscriptionDeps();
    const { subscriber: first } = await addSubscriber(
      deps,
      { email: 'first@example.org' },
      { source: 'cli' },
    );
    const { subscriber: second } = await addSubscriber(
      deps,
      { email: 'second@example.org' },
      { source: 'cli' },
    );
    const signed = (id: string) =>
      signSubscriberToken(deps.linkKeys.keys.newest, id, 'unsubscribe');
    const mailedToFirst = signed(first.id);
    const mailedToSecond = signed(second.id);

    await rotate(deps);

    expect(await unsubscribe(deps, mailedToFirst)).toBe('unsubscribed');

    await deps.linkKeys.remove(FIRST_KID);

    expect(await previewUnsubscribe(deps, mailedToSecond)).toBe('invalid');
    expect(await unsubscribe(deps, mailedToSecond)).toBe('invalid');
    expect((await deps.subscribers.get(second.id))?.status).toBe('active');
  });
});
