import { describe, expect, it } from 'vitest';
import {
  FIRST_KID,
  LinkKeyError,
  type LinkKeyProblem,
  type LinkKeyStore,
  type LinkKeys,
  MIN_LINK_KEY_BYTES,
  nextKid,
} from '#core/subscribers/link-keys.ts';
import { checkSubscriberToken, signSubscriberToken } from '#core/subscribers/subscriber-token.ts';

/** A fresh store, its only key `FIRST_KID` with the bytes `firstKey`. */
export interface LinkKeyStoreSubject {
  store: LinkKeyStore;
  firstKey: Uint8Array;
}

const ID = '01JSUBSCRIBER0000000000001';
const NOW = new Date('2026-03-01T00:00:00.000Z');
const DAY_BEFORE = new Date(NOW.getTime() - 86_400_000);

/** What a user can tell of the keys: their kids, their bytes, the newest. */
function contentsOf(keys: LinkKeys) {
  return {
    newest: keys.newest.kid,
    newestKey: hex(keys.newest.key),
    byKid: Object.fromEntries([...keys.byKid].map(([kid, key]) => [kid, hex(key)])),
  };
}

function hex(key: Uint8Array): string {
  return Buffer.from(key).toString('hex');
}

/** The store's keys as `current()` and `reload()` answer them, which must agree. */
async function readBoth(store: LinkKeyStore) {
  const current = contentsOf(await store.current());
  const reloaded = contentsOf(await store.reload());
  expect(reloaded).toEqual(current);
  return current;
}

async function refusedWith(
  change: Promise<unknown>,
  problem: LinkKeyProblem,
): Promise<LinkKeyError> {
  const error = await change.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(LinkKeyError);
  expect((error as LinkKeyError).problem).toBe(problem);
  return error as LinkKeyError;
}

const unsubscribe = (keys: LinkKeys, token: string) =>
  checkSubscriberToken(keys, token, 'unsubscribe');

/**
 * What every `LinkKeyStore` promises, as seen through one instance; `makeSubject` gives a
 * fresh store each time whose only key is `FIRST_KID`, with bytes it names.
 */
export function describeLinkKeyStoreContract(
  name: string,
  makeSubject: () => LinkKeyStoreSubject | Promise<LinkKeyStoreSubject>,
) {
  describe(`${name} keeps the LinkKeyStore contract`, () => {
    it('starts with the first key alone, the newest: a link signed with its bytes checks', async () => {
      const { store, firstKey } = await makeSubject();
      const mailed = signSubscriberToken({ kid: FIRST_KID, key: firstKey }, ID, 'unsubscribe');

      const keys = await store.current();

      expect(contentsOf(keys)).toEqual({
        newest: FIRST_KID,
        newestKey: hex(firstKey),
        byKid: { [FIRST_KID]: hex(firstKey) },
      });
      expect(await readBoth(store)).toEqual(contentsOf(keys));
      expect(unsubscribe(keys, mailed)).toEqual({ valid: true, subscriberId: ID });
    });

    it('adds a newer key, which becomes the newest and signs; links of the first still check', async () => {
      const { store, firstKey } = await makeSubject();
      const mailed = signSubscriberToken({ kid: FIRST_KID, key: firstKey }, ID, 'unsubscribe');
      const kid = nextKid(NOW, (await store.current()).byKid.keys());

      const added = await store.add(kid, NOW);

      const keys = await store.current();
      expect(contentsOf(added)).toEqual(contentsOf(keys));
      expect(keys.newest.kid).toBe(kid);
      expect(Object.keys(contentsOf(keys).byKid).sort()).toEqual([FIRST_KID, kid].sort());
      expect(hex(keys.byKid.get(FIRST_KID) as Uint8Array)).toBe(hex(firstKey));
      const fresh = signSubscriberToken(keys.newest, ID, 'unsubscribe');
      expect(fresh).toContain(`.k${kid}.`);
      expect(unsubscribe(keys, mailed)).toEqual({ valid: true, subscriberId: ID });
      expect(unsubscribe(keys, fresh)).toEqual({ valid: true, subscriberId: ID });
    });

    it('orders kids by their value in base 36, not as text', async () => {
      const { store } = await makeSubject();

      await store.add('z', NOW);
      await store.add('10', NOW);

      expect((await store.current()).newest.kid).toBe('10');
      await refusedWith(store.add('y', NOW), 'not-newer');
    });

    it('makes new keys of at least 32 random bytes, each its own', async () => {
      const { store, firstKey } = await makeSubject();
      const first = nextKid(NOW, [FIRST_KID]);
      await store.add(first, NOW);
      const second = nextKid(NOW, [FIRST_KID, first]);

      await store.add(second, NOW);

      const keys = await store.current();
      const added = [first, second].map((kid) => keys.byKid.get(kid) as Uint8Array);
      for (const key of added) expect(key.byteLength).toBeGreaterThanOrEqual(MIN_LINK_KEY_BYTES);
      expect(new Set([hex(firstKey), ...added.map(hex)]).size).toBe(3);
    });

    it('refuses to add a kid that exists, changing nothing', async () => {
      const { store } = await makeSubject();
      const kid = nextKid(NOW, [FIRST_KID]);
      await store.add(kid, NOW);
      const before = await readBoth(store);

      await refusedWith(store.add(FIRST_KID, NOW), 'exists');
      await refusedWith(store.add(kid, NOW), 'exists');

      expect(await readBoth(store)).toEqual(before);
    });

    it('refuses to add a kid not newer than the newest, changing nothing', async () => {
      const { store, firstKey } = await makeSubject();
      const kid = nextKid(NOW, [FIRST_KID]);
      await store.add(kid, NOW);
      const before = await readBoth(store);
      const older = nextKid(DAY_BEFORE, [FIRST_KID]);

      await refusedWith(store.add(older, DAY_BEFORE), 'not-newer');
      await refusedWith(store.add('1', NOW), 'not-newer');

      const keys = await store.current();
      expect(await readBoth(store)).toEqual(before);
      const mailed = signSubscriberToken({ kid: FIRST_KID, key: firstKey }, ID, 'unsubscribe');
      expect(unsubscribe(keys, mailed)).toEqual({ valid: true, subscriberId: ID });
    });

    it('refuses to add under what is no kid, changing nothing', async () => {
      const { store } = await makeSubject();
      const before = await readBoth(store);

      for (const kid of ['', 'A1', '01', 'tb71c0!', '1'.repeat(13)]) {
        await refusedWith(store.add(kid, NOW), 'invalid-kid');
      }

      expect(await readBoth(store)).toEqual(before);
    });

    it('retires an older key: links it signed are unknown from then on, the newest’s still check', async () => {
      const { store, firstKey } = await makeSubject();
      const mailed = signSubscriberToken({ kid: FIRST_KID, key: firstKey }, ID, 'unsubscribe');
      const kid = nextKid(NOW, [FIRST_KID]);
      await store.add(kid, NOW);
      const fresh = signSubscriberToken((await store.current()).newest, ID, 'unsubscribe');

      const removed = await store.remove(FIRST_KID);

      const keys = await store.current();
      expect(contentsOf(removed)).toEqual(contentsOf(keys));
      expect([...keys.byKid.keys()]).toEqual([kid]);
      expect(keys.newest.kid).toBe(kid);
      expect(unsubscribe(keys, mailed)).toEqual({ valid: false, problem: 'unknown-key' });
      expect(unsubscribe(keys, fresh)).toEqual({ valid: true, subscriberId: ID });
    });

    it('refuses to retire the newest key, changing nothing', async () => {
      const { store } = await makeSubject();
      await refusedWith(store.remove(FIRST_KID), 'newest');
      const kid = nextKid(NOW, [FIRST_KID]);
      await store.add(kid, NOW);
      const before = await readBoth(store);

      await refusedWith(store.remove(kid), 'newest');

      expect(await readBoth(store)).toEqual(before);
    });

    it('refuses to retire a key it does not have, changing nothing', async () => {
      const { store } = await makeSubject();
      const kid = nextKid(NOW, [FIRST_KID]);
      await store.add(kid, NOW);
      await store.remove(FIRST_KID);
      const before = await readBoth(store);

      await refusedWith(store.remove(FIRST_KID), 'unknown');
      await refusedWith(store.remove('tfxeo0'), 'unknown');
      await refusedWith(store.remove('A1'), 'unknown');

      expect(await readBoth(store)).toEqual(before);
    });

    it('reloads the keys as its own changes left them', async () => {
      const { store } = await makeSubject();
      const kid = nextKid(NOW, [FIRST_KID]);

      const added = contentsOf(await store.add(kid, NOW));
      expect(contentsOf(await store.reload())).toEqual(added);
      expect(contentsOf(await store.current())).toEqual(added);

      const removed = contentsOf(await store.remove(FIRST_KID));
      expect(contentsOf(await store.reload())).toEqual(removed);
      expect(contentsOf(await store.current())).toEqual(removed);
    });
  });
}
