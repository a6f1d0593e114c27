import { describe, expect, it } from 'vitest';
import { rotateLinkKey } from '#core/keys/rotate-link-key.ts';
import { kidTime } from '#core/subscribers/link-keys.ts';
import { MemoryLinkKeys } from '../fakes/memory-link-keys.ts';

const T1 = new Date('2026-03-01T00:00:00.000Z');

describe('rotateLinkKey', () => {
  it('adds a key named after the time, which becomes the newest, and keeps the old one', async () => {
    const store = new MemoryLinkKeys();
    const before = await store.current();

    const rotated = await rotateLinkKey(store, T1);

    expect(rotated).toEqual({ kid: (T1.getTime() / 1000).toString(36), kept: ['0'] });
    expect(kidTime(rotated.kid)).toEqual(T1);
    const after = await store.current();
    expect(after.newest.kid).toBe(rotated.kid);
    // The old key is kept as it was: the links it signed still check.
    expect(after.byKid.get('0')).toEqual(before.byKid.get('0'));
  });

  it('makes a newer kid for a second rotation in the same second, and lists the kept keys newest first', async () => {
    const store = new MemoryLinkKeys();

    const first = await rotateLinkKey(store, T1);
    const second = await rotateLinkKey(store, T1);

    expect(second.kid).not.toBe(first.kid);
    expect((await store.current()).newest.kid).toBe(second.kid);
    expect(second.kept).toEqual([first.kid, '0']);
    expect([...(await store.current()).byKid.keys()]).toHaveLength(3);
  });
});
