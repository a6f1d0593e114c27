import { describe, expect, it } from 'vitest';
import type { Subscriber, SubscriberStore } from '#core/subscribers/ports.ts';

const AT = '2025-03-07T08:00:00.000Z';

/** A subscriber numbered `n`, with an id that sorts by `n` and an address of its own. */
export function subscriber(n: number, changes: Partial<Subscriber> = {}): Subscriber {
  return {
    id: `01JSTORE${String(n).padStart(18, '0')}`,
    email: `reader-${n}@example.org`,
    status: 'active',
    source: 'cli',
    createdAt: AT,
    ...changes,
  };
}

const byId = (a: Subscriber, b: Subscriber) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** What every `SubscriberStore` promises; `makeSubject` gives an empty store each time. */
export function describeSubscriberStoreContract(
  name: string,
  makeSubject: () => SubscriberStore | Promise<SubscriberStore>,
) {
  describe(`${name} keeps the SubscriberStore contract`, () => {
    it('adds a subscriber and gives it back as added, with every optional field', async () => {
      const store = await makeSubject();
      const added = subscriber(1, {
        name: 'Ana',
        status: 'suppressed',
        updatedAt: AT,
        confirmedAt: AT,
        pendingSince: AT,
        confirmationSentAt: AT,
        unsubscribedAt: AT,
        unsubscribedVia: 'link',
        suppression: { reason: 'bounce', detail: 'Permanent/General', at: AT },
        transientBounces: ['m1'],
        eraseAfter: '2025-04-08T08:00:00.000Z',
      });

      const result = await store.add(added);

      expect(result).toEqual({ subscriber: added, created: true });
      expect(await store.get(added.id)).toEqual(added);
      expect(await store.get('01JMISSING0000000000000000')).toBeUndefined();
    });

    it('keeps the first subscriber of an address, whatever its case and surrounding spaces', async () => {
      const store = await makeSubject();
      const first = subscriber(1, { email: 'Reader@Example.com', status: 'unsubscribed' });
      await store.add(first);

      const again = await store.add(subscriber(2, { email: '  reader@EXAMPLE.com\t' }));

      expect(again).toEqual({ subscriber: first, created: false });
      expect(await store.list()).toEqual([first]);
    });

    it('creates one subscriber when the same address is added many times at once', async () => {
      const store = await makeSubject();
      const attempts = Array.from({ length: 6 }, (_, n) =>
        subscriber(n + 1, { email: n % 2 ? 'SAME@example.org' : 'same@example.org' }),
      );

      const results = await Promise.all(attempts.map((s) => store.add(s)));

      expect(results.filter((result) => result.created)).toHaveLength(1);
      expect(new Set(results.map((result) => result.subscriber.id)).size).toBe(1);
      expect(await store.list()).toHaveLength(1);
    });

    it('finds a subscriber by address, whatever its case and surrounding spaces', async () => {
      const store = await makeSubject();
      const added = subscriber(1, { email: 'Reader@Example.org' });
      await store.add(added);

      expect(await store.findByEmail(' READER@example.ORG ')).toEqual(added);
      expect(await store.findByEmail('other@example.org')).toBeUndefined();
    });

    it('lists every subscriber', async () => {
      const store = await makeSubject();
      const added = [subscriber(3), subscriber(1), subscriber(2)];
      for (const s of added) await store.add(s);

      const listed = await store.list();

      expect(listed.sort(byId)).toEqual([...added].sort(byId));
    });

    it('changes the fields given, removes those given as undefined and returns the result', async () => {
      const store = await makeSubject();
      const added = subscriber(1, { status: 'pending', pendingSince: AT, name: 'Ana' });
      await store.add(added);

      const changed = await store.update(added.id, {
        status: 'active',
        confirmedAt: '2025-03-07T09:00:00.000Z',
        pendingSince: undefined,
      });

      const { pendingSince: _removed, ...rest } = added;
      const expected = { ...rest, status: 'active', confirmedAt: '2025-03-07T09:00:00.000Z' };
      expect(changed).toEqual(expected);
      expect(await store.get(added.id)).toEqual(expected);
    });

    it('applies a change only while its status and pendingSince conditions hold', async () => {
      const store = await makeSubject();
      const added = subscriber(1, { status: 'pending', pendingSince: AT });
      await store.add(added);

      const wrongStatus = await store.update(
        added.id,
        { status: 'active' },
        { status: ['unsubscribed'] },
      );
      const noStatus = await store.update(added.id, { status: 'active' }, { status: [] });
      const stale = await store.update(
        added.id,
        { status: 'active' },
        { status: ['pending'], pendingSince: '2025-03-07T07:00:00.000Z' },
      );
      const unchanged = await store.get(added.id);
      const applied = await store.update(
        added.id,
        { status: 'active' },
        { status: ['pending', 'active'], pendingSince: AT },
      );

      expect([wrongStatus, noStatus, stale]).toEqual([undefined, undefined, undefined]);
      expect(unchanged).toEqual(added);
      expect(applied).toEqual({ ...added, status: 'active' });
    });

    it('refuses a pendingSince condition on a subscriber that has none', async () => {
      const store = await makeSubject();
      const added = subscriber(1);
      await store.add(added);

      const changed = await store.update(added.id, { status: 'pending' }, { pendingSince: AT });

      expect(changed).toBeUndefined();
      expect(await store.get(added.id)).toEqual(added);
    });

    it('lets a confirmation be sent only when none went out since the time given', async () => {
      const store = await makeSubject();
      const never = subscriber(1, { status: 'pending' });
      const recent = subscriber(2, { status: 'pending', confirmationSentAt: AT });
      await store.add(never);
      await store.add(recent);

      const first = await store.update(
        never.id,
        { confirmationSentAt: AT },
        { confirmationSentBefore: AT },
      );
      const atTheLimit = await store.update(
        recent.id,
        { confirmationSentAt: '2025-03-07T08:05:00.000Z' },
        { confirmationSentBefore: AT },
      );
      const later = await store.update(
        recent.id,
        { confirmationSentAt: '2025-03-07T08:11:00.000Z' },
        { confirmationSentBefore: '2025-03-07T08:01:00.000Z' },
      );

      expect(first?.confirmationSentAt).toBe(AT);
      expect(atTheLimit).toBeUndefined();
      expect(later?.confirmationSentAt).toBe('2025-03-07T08:11:00.000Z');
    });

    it('lets one of two requests racing on the same condition through', async () => {
      const store = await makeSubject();
      const added = subscriber(1, { status: 'pending' });
      await store.add(added);

      const results = await Promise.all(
        ['2025-03-07T08:01:00.000Z', '2025-03-07T08:02:00.000Z'].map((sentAt) =>
          store.update(added.id, { confirmationSentAt: sentAt }, { confirmationSentBefore: AT }),
        ),
      );

      expect(results.filter((result) => result !== undefined)).toHaveLength(1);
    });

    it('changes no subscriber that does not exist, and creates none', async () => {
      const store = await makeSubject();

      const changed = await store.update('01JMISSING0000000000000000', { status: 'active' });

      expect(changed).toBeUndefined();
      expect(await store.list()).toEqual([]);
    });

    it('answers an update without changes with the subscriber as stored, checking nothing', async () => {
      const store = await makeSubject();
      const added = subscriber(1, { status: 'unsubscribed' });
      await store.add(added);

      const unconditioned = await store.update(added.id, {}, { status: ['active'] });
      const missing = await store.update('01JMISSING0000000000000000', {});

      expect(unconditioned).toEqual(added);
      expect(missing).toBeUndefined();
    });

    it('counts each transiently bounced message once, and clears the count', async () => {
      const store = await makeSubject();
      const added = subscriber(1);
      await store.add(added);

      const counts = [
        await store.addTransientBounce(added.id, 'message-2'),
        await store.addTransientBounce(added.id, 'message-2'),
        await store.addTransientBounce(added.id, 'message-1'),
      ];
      const withBounces = await store.get(added.id);
      await store.update(added.id, { transientBounces: undefined });
      const cleared = await store.get(added.id);
      await store.addTransientBounce(added.id, 'message-3');
      await store.update(added.id, { transientBounces: [] });

      expect(counts).toEqual([1, 1, 2]);
      expect(withBounces?.transientBounces?.sort()).toEqual(['message-1', 'message-2']);
      expect(cleared).toEqual(added);
      expect(await store.get(added.id)).toEqual(added);
    });

    it('counts no bounce for a subscriber that does not exist, and creates none', async () => {
      const store = await makeSubject();

      const count = await store.addTransientBounce('01JMISSING0000000000000000', 'message-1');

      expect(count).toBe(0);
      expect(await store.list()).toEqual([]);
    });

    it('removes a subscriber and its address, so the address can be added anew', async () => {
      const store = await makeSubject();
      const added = subscriber(1);
      const kept = subscriber(2);
      await store.add(added);
      await store.add(kept);

      const removed = await store.remove(added.id);
      const again = await store.remove(added.id);
      const readded = await store.add(subscriber(3, { email: added.email.toUpperCase() }));

      expect([removed, again]).toEqual([true, false]);
      expect(await store.get(added.id)).toBeUndefined();
      expect(readded.created).toBe(true);
      expect((await store.list()).map((s) => s.id).sort()).toEqual([
        kept.id,
        readded.subscriber.id,
      ]);
    });

    it('removes a subscriber only while the condition given holds', async () => {
      const store = await makeSubject();
      const pending = subscriber(1, { status: 'pending', confirmationSentAt: AT });
      const confirmed = subscriber(2, { status: 'active' });
      const mailedSince = subscriber(3, {
        status: 'pending',
        confirmationSentAt: '2025-03-07T09:00:00.000Z',
      });
      for (const s of [pending, confirmed, mailedSince]) await store.add(s);
      const stillStale = {
        status: ['pending'] as const,
        confirmationSentBefore: '2025-03-07T08:30:00.000Z',
      };

      const results = [
        await store.remove(pending.id, stillStale),
        await store.remove(confirmed.id, stillStale),
        await store.remove(mailedSince.id, stillStale),
        await store.remove('01JMISSING0000000000000000', stillStale),
      ];

      expect(results).toEqual([true, false, false, false]);
      expect(await store.findByEmail(pending.email)).toBeUndefined();
      expect((await store.list()).map((s) => s.id).sort()).toEqual([confirmed.id, mailedSince.id]);
    });

    it('keeps the erasure date of a sign-up until it is taken off', async () => {
      const store = await makeSubject();
      const added = subscriber(1, {
        status: 'pending',
        pendingSince: AT,
        eraseAfter: '2025-04-08T08:00:00.000Z',
      });
      await store.add(added);

      const later = await store.update(added.id, { eraseAfter: '2025-04-09T08:00:00.000Z' });
      const confirmed = await store.update(
        added.id,
        { status: 'active', pendingSince: undefined, eraseAfter: undefined },
        { status: ['pending'] },
      );

      expect(later?.eraseAfter).toBe('2025-04-09T08:00:00.000Z');
      expect(confirmed).not.toHaveProperty('eraseAfter');
      expect(await store.findByEmail(added.email)).toEqual(confirmed);
    });

    it('keeps the erasure date when a change that would take it off is refused', async () => {
      const store = await makeSubject();
      const added = subscriber(1, { status: 'pending', eraseAfter: '2025-04-08T08:00:00.000Z' });
      await store.add(added);

      const refused = await store.update(
        added.id,
        { status: 'active', eraseAfter: undefined },
        { status: ['unsubscribed'] },
      );

      expect(refused).toBeUndefined();
      expect(await store.findByEmail(added.email)).toEqual(added);
    });

    it('hands out copies: changing what it returned or was given changes nothing stored', async () => {
      const store = await makeSubject();
      const original = subscriber(1, { transientBounces: ['m1'] });
      const given = structuredClone(original);
      const { subscriber: returned } = await store.add(given);

      given.status = 'unsubscribed';
      returned.name = 'Changed';
      const got = await store.get(original.id);
      got?.transientBounces?.push('m2');

      expect(await store.get(original.id)).toEqual(original);
    });
  });
}
