import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LINK_KEYS_FILE, LocalLinkKeys } from '#cli/local-link-keys.ts';
import { localHashKey } from '#cli/token-key.ts';
import { checkLinkToken } from '#core/subscribers/check-link-token.ts';
import { FIRST_KID, LinkKeyError, nextKid } from '#core/subscribers/link-keys.ts';
import { signSubscriberToken } from '#core/subscribers/subscriber-token.ts';
import { describeLinkKeyStoreContract } from '../../contracts/link-key-store-contract.ts';

const ID = '01JSUBSCRIBER0000000000001';
const ISSUE = '01JISSUE000000000000000001';
const folders: string[] = [];

async function stateFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'link-keys-'));
  folders.push(folder);
  return folder;
}

async function refusal(promise: Promise<unknown>): Promise<LinkKeyError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(LinkKeyError);
  return error as LinkKeyError;
}

afterEach(async () => {
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true })));
});

describe('LocalLinkKeys', () => {
  it('starts from token.key as the first key, in a file its owner alone can read', async () => {
    const folder = await stateFolder();
    const hashKey = await localHashKey(folder);
    // A link mailed before link keys existed, signed with token.key.
    const before = signSubscriberToken({ kid: FIRST_KID, key: hashKey }, ID, 'unsubscribe');

    const keys = await new LocalLinkKeys(folder).current();

    expect([...keys.byKid.keys()]).toEqual([FIRST_KID]);
    expect(Buffer.from(keys.newest.key).equals(Buffer.from(hashKey))).toBe(true);
    const file = join(folder, LINK_KEYS_FILE);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      [FIRST_KID]: (await readFile(join(folder, 'token.key'), 'utf8')).trim(),
    });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await checkLinkToken(new LocalLinkKeys(folder), before, 'unsubscribe')).toEqual({
      valid: true,
      subscriberId: ID,
    });
  });

  it('gives every caller on a fresh folder at once the same keys', async () => {
    const folder = await stateFolder();

    const all = await Promise.all(
      Array.from({ length: 20 }, () => new LocalLinkKeys(folder).current()),
    );

    const distinct = new Set(all.map((keys) => Buffer.from(keys.newest.key).toString('hex')));
    expect(distinct.size).toBe(1);
    expect(all[0]?.newest.key).toHaveLength(32);
  });

  it('rotates without breaking a link mailed before; retiring the old key then breaks it', async () => {
    const folder = await stateFolder();
    const store = new LocalLinkKeys(folder);
    const mailed = signSubscriberToken((await store.current()).newest, ID, 'unsubscribe', {
      issueId: ISSUE,
    });
    const now = new Date('2026-03-01T00:00:00.000Z');

    const kid = nextKid(now, (await store.current()).byKid.keys());
    await store.add(kid, now);
    // Another process on the same folder (serve) reads the file again: nothing is cached.
    const other = new LocalLinkKeys(folder);
    const keys = await other.current();
    const fresh = signSubscriberToken(keys.newest, ID, 'unsubscribe', { issueId: ISSUE });

    expect(keys.newest.kid).toBe(kid);
    expect(fresh).toContain(`.k${kid}.`);
    for (const token of [mailed, fresh]) {
      expect(await checkLinkToken(other, token, 'unsubscribe')).toMatchObject({ valid: true });
    }

    await store.remove(FIRST_KID);

    expect(await checkLinkToken(other, mailed, 'unsubscribe')).toEqual({
      valid: false,
      problem: 'unknown-key',
    });
    expect(await checkLinkToken(other, fresh, 'unsubscribe')).toMatchObject({ valid: true });
    expect(Object.keys(JSON.parse(await readFile(store.path, 'utf8')))).toEqual([kid]);
    expect((await stat(store.path)).mode & 0o777).toBe(0o600);
  });

  it('loses no key when changes come at once: each waits for the lock', async () => {
    const folder = await stateFolder();
    const store = new LocalLinkKeys(folder);
    await store.current();
    const kids = Array.from({ length: 8 }, (_, index) => `tb71c${index + 1}`);

    const results = await Promise.allSettled(
      kids.map((kid) => new LocalLinkKeys(folder).add(kid, new Date())),
    );

    const added = kids.filter((_, index) => results[index]?.status === 'fulfilled');
    const kept = [...(await store.current()).byKid.keys()];
    expect(added.length).toBeGreaterThan(0);
    expect(kept.sort()).toEqual([FIRST_KID, ...added].sort());
    // The others came after a newer kid and were refused, not lost.
    for (const result of results) {
      if (result.status === 'rejected') {
        expect((result.reason as LinkKeyError).problem).toBe('not-newer');
      }
    }
  });

  it('refuses a malformed file without quoting it', async () => {
    const folder = await stateFolder();
    await writeFile(join(folder, LINK_KEYS_FILE), '{"0": "c2VjcmV0IGtleSB0ZXh0"', { mode: 0o600 });

    const error = await refusal(new LocalLinkKeys(folder).current());

    expect(error.problem).toBe('invalid-store');
    expect(error.message).not.toContain('c2VjcmV0');
  });
});

describeLinkKeyStoreContract('LocalLinkKeys', async () => {
  const folder = await stateFolder();
  // The first key is the folder's token.key, as on a state folder before any rotation.
  const firstKey = await localHashKey(folder);
  return { store: new LocalLinkKeys(folder), firstKey };
});
