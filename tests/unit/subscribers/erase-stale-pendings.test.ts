import { describe, expect, it } from 'vitest';
import { addSubscriber } from '#core/subscribers/add-subscriber.ts';
import { eraseStalePendings } from '#core/subscribers/erase-stale-pendings.ts';
import { sendDueConfirmations } from '#core/subscribers/send-due-confirmations.ts';
import { subscribe } from '#core/subscribers/subscribe.ts';
import { signSubscriberToken } from '#core/subscribers/subscriber-token.ts';
import { unsubscribe } from '#core/subscribers/unsubscribe.ts';
import { memorySubscriptionDeps } from '../fakes/memory-subscription-stores.ts';

type Deps = ReturnType<typeof memorySubscriptionDeps>;

const DAY = 24 * 60;

async function signUp(deps: Deps, email: string) {
  await subscribe(deps, { email });
  await sendDueConfirmations(deps);
}

const emails = (deps: Deps) => deps.subscribers.items.map((subscriber) => subscriber.email);

describe('eraseStalePendings', () => {
  it('erases sign-ups unconfirmed for more than pendingDays, address included, and says how many', async () => {
    const deps = memorySubscriptionDeps();
    await signUp(deps, 'old@example.org');
    await signUp(deps, 'older@example.org');
    deps.clock.advance(20 * DAY);
    await signUp(deps, 'recent@example.org');
    deps.clock.advance(10 * DAY + 1);

    const erased = await eraseStalePendings(deps);

    expect(erased).toBe(2);
    expect(emails(deps)).toEqual(['recent@example.org']);
    expect(await deps.subscribers.findByEmail('old@example.org')).toBeUndefined();
    // Nothing kept of them: an editor may still add the address.
    expect(deps.suppressions.items.size).toBe(0);
  });

  it('keeps a sign-up exactly pendingDays old, and erases it the next day', async () => {
    const deps = memorySubscriptionDeps();
    await signUp(deps, 'reader@example.org');
    deps.clock.advance(30 * DAY);

    const onTheDay = await eraseStalePendings(deps);
    deps.clock.advance(DAY);
    const dayAfter = await eraseStalePendings(deps);

    expect([onTheDay, dayAfter]).toEqual([0, 1]);
  });

  it('counts from the last confirmation email: asking again keeps a sign-up', async () => {
    const deps = memorySubscriptionDeps();
    await signUp(deps, 'reader@example.org');
    deps.clock.advance(25 * DAY);
    await signUp(deps, 'reader@example.org');
    deps.clock.advance(10 * DAY);

    const erased = await eraseStalePendings(deps);

    expect(erased).toBe(0);
    expect(emails(deps)).toEqual(['reader@example.org']);
  });

  it('leaves subscribers, and those who left, however old', async () => {
    const deps = memorySubscriptionDeps();
    await addSubscriber(deps, { email: 'active@example.org' }, { source: 'cli' });
    const { subscriber } = await addSubscriber(
      deps,
      { email: 'left@example.org' },
      { source: 'cli' },
    );
    await unsubscribe(
      deps,
      signSubscriberToken(deps.linkKeys.keys.newest, subscriber.id, 'unsubscribe'),
    );
    deps.clock.advance(11);
    // Asked to come back and never confirmed: the record of leaving stays.
    await signUp(deps, 'left@example.org');
    deps.clock.advance(400 * DAY);

    const erased = await eraseStalePendings(deps);

    expect(erased).toBe(0);
    expect(emails(deps)).toEqual(['active@example.org', 'left@example.org']);
  });

  it('erases requests of the form that old the confirmations job never stored', async () => {
    const deps = memorySubscriptionDeps();
    await subscribe(deps, { email: 'stuck@example.org' });
    deps.clock.advance(10 * DAY);
    await subscribe(deps, { email: 'fresh@example.org' });
    deps.clock.advance(21 * DAY);

    const erased = await eraseStalePendings(deps);

    expect(erased).toBe(1);
    expect([...deps.signups.requests.values()].map((request) => request.email)).toEqual([
      'fresh@example.org',
    ]);
  });

  it('erases every stale sign-up of a list read in many pages', async () => {
    const deps = memorySubscriptionDeps();
    for (let n = 0; n < 2500; n++) {
      await deps.subscribers.add({
        id: `01JSTALE${String(n).padStart(18, '0')}`,
        email: `reader${n}@example.org`,
        status: n % 2 ? 'pending' : 'active',
        source: 'form',
        createdAt: deps.now().toISOString(),
        pendingSince: deps.now().toISOString(),
      });
    }
    deps.clock.advance(31 * DAY);

    const erased = await eraseStalePendings(deps);

    expect(erased).toBe(1250);
    expect(deps.subscribers.items.every((subscriber) => subscriber.status === 'active')).toBe(true);
  });
});
