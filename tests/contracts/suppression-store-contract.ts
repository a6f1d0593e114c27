import { describe, expect, it } from 'vitest';
import type { Suppression, SuppressionStore } from '#core/subscribers/ports.ts';

const complaint: Suppression = {
  reason: 'complaint',
  detail: 'abuse',
  at: '2025-03-07T08:00:00.000Z',
};
const bounce: Suppression = {
  reason: 'bounce',
  detail: 'Permanent/General',
  at: '2025-03-08T08:00:00.000Z',
};

/** What every `SuppressionStore` promises; `makeSubject` gives an empty store each time. */
export function describeSuppressionStoreContract(
  name: string,
  makeSubject: () => SuppressionStore | Promise<SuppressionStore>,
) {
  describe(`${name} keeps the SuppressionStore contract`, () => {
    it('keeps a suppression under its hash, apart from other hashes', async () => {
      const store = await makeSubject();

      await store.put('hash-1', complaint);
      await store.put('hash-2', bounce);

      expect(await store.get('hash-1')).toEqual(complaint);
      expect(await store.get('hash-2')).toEqual(bounce);
      expect(await store.get('hash-3')).toBeUndefined();
    });

    it('replaces the suppression of a hash put again', async () => {
      const store = await makeSubject();
      await store.put('hash-1', complaint);

      await store.put('hash-1', bounce);

      expect(await store.get('hash-1')).toEqual(bounce);
    });

    it('forgets a deleted hash, and deletes one that is not there without complaint', async () => {
      const store = await makeSubject();
      await store.put('hash-1', complaint);
      await store.put('hash-2', bounce);

      await store.delete('hash-1');
      await store.delete('never-stored');

      expect(await store.get('hash-1')).toBeUndefined();
      expect(await store.get('hash-2')).toEqual(bounce);
    });

    it('hands out copies: changing what it returned or was given changes nothing stored', async () => {
      const store = await makeSubject();
      const given = { ...complaint };
      await store.put('hash-1', given);

      given.detail = 'changed by the caller';
      const got = await store.get('hash-1');
      if (got) got.reason = 'forgotten';

      expect(await store.get('hash-1')).toEqual(complaint);
    });
  });
}
