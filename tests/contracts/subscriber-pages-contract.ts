import { describe, expect, it } from 'vitest';
import type { Subscriber, SubscriberPages, SubscriberStore } from '#core/subscribers/ports.ts';
import { subscriber } from './subscriber-store-contract.ts';

const byId = (a: Subscriber, b: Subscriber) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * What every `SubscriberPages` promises; `makeSubject` gives an empty store each time, which
 * also adds subscribers (both ports are one table).
 */
export function describeSubscriberPagesContract(
  name: string,
  makeSubject: () =>
    | (SubscriberStore & SubscriberPages)
    | Promise<SubscriberStore & SubscriberPages>,
) {
  describe(`${name} keeps the SubscriberPages contract`, () => {
    it('pages through every subscriber once, at most `limit` a page, until no cursor', async () => {
      const store = await makeSubject();
      const added = Array.from({ length: 7 }, (_, n) => subscriber(n + 1));
      for (const s of added) await store.add(s);
      const pages: Subscriber[][] = [];
      let cursor: string | undefined;

      do {
        const page = await store.page(cursor, 3);
        pages.push(page.subscribers);
        cursor = page.cursor;
      } while (cursor && pages.length < 100);

      expect(cursor).toBeUndefined();
      expect(pages.every((page) => page.length <= 3)).toBe(true);
      expect(pages.flat().sort(byId)).toEqual(added);
    });

    it('gives one page without a cursor when everyone fits', async () => {
      const store = await makeSubject();
      await store.add(subscriber(1));

      const page = await store.page(undefined, 10);

      expect(page).toEqual({ subscribers: [subscriber(1)] });
    });

    it('reads subscribers by id, leaving out ids without one', async () => {
      const store = await makeSubject();
      for (const n of [1, 2, 3]) await store.add(subscriber(n));

      const found = await store.getMany([
        subscriber(3).id,
        '01JMISSING0000000000000000',
        subscriber(1).id,
      ]);

      expect(found.sort(byId)).toEqual([subscriber(1), subscriber(3)]);
      expect(await store.getMany([])).toEqual([]);
    });
  });
}
