import { describe, expect, it } from 'vitest';
import {
  compareKids,
  FIRST_KID,
  KID_PATTERN,
  kidTime,
  LinkKeyError,
  linkKeysOf,
  nextKid,
  withLinkKey,
  withoutLinkKey,
} from '#core/subscribers/link-keys.ts';

const key = (fill: number) => new Uint8Array(32).fill(fill);
const MARCH = new Date('2026-03-01T00:00:00.000Z');
const KID_MARCH = 'tb71c0';
const KID_JUNE = 'tfxeo0';

/** The LinkKeyError `work` throws. */
function refusal(work: () => unknown): LinkKeyError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(LinkKeyError);
    return error as LinkKeyError;
  }
  throw new Error('nothing was refused');
}

describe('linkKeysOf', () => {
  it('takes the kid of greatest value in base 36 for the newest, whatever the order', () => {
    const keys = linkKeysOf([
      [KID_JUNE, key(2)],
      [FIRST_KID, key(0)],
      [KID_MARCH, key(1)],
    ]);

    expect(keys.newest).toEqual({ kid: KID_JUNE, key: key(2) });
    expect([...keys.byKid.keys()].sort()).toEqual([FIRST_KID, KID_MARCH, KID_JUNE].sort());
  });

  it('orders kids by value, not as text: a longer kid is newer', () => {
    expect(
      linkKeysOf([
        ['z', key(1)],
        ['10', key(2)],
      ]).newest.kid,
    ).toBe('10');
  });

  it('refuses no key at all, a malformed kid and a short key, naming the kid but no key', () => {
    expect(refusal(() => linkKeysOf([])).problem).toBe('invalid-store');
    for (const kid of ['', 'ABC', 'a.b', '0123', 'a'.repeat(13)]) {
      expect(refusal(() => linkKeysOf([[kid, key(1)]])).problem).toBe('invalid-store');
    }
    const short = refusal(() => linkKeysOf([[KID_MARCH, new Uint8Array(31).fill(0x41)]]));
    expect(short.problem).toBe('invalid-store');
    expect(short.message).toContain(KID_MARCH);
    expect(short.message).toContain('31');
    expect(short.message).not.toContain('AAAA');
  });
});

describe('nextKid', () => {
  it('is the time in whole seconds in base 36, which kidTime reads back', () => {
    const kid = nextKid(new Date(MARCH.getTime() + 999), [FIRST_KID]);

    expect(kid).toBe(KID_MARCH);
    expect(kid).toMatch(KID_PATTERN);
    expect(kidTime(kid)).toEqual(MARCH);
  });

  it('is one more than the greatest kid when that is not older (two in a second, a clock set back)', () => {
    expect(nextKid(MARCH, [FIRST_KID, KID_MARCH])).toBe('tb71c1');
    expect(nextKid(MARCH, [KID_JUNE, FIRST_KID])).toBe('tfxeo1');
    expect(nextKid(MARCH, ['tb71cz'])).toBe('tb71d0');
    expect(nextKid(MARCH, ['zzzzzzz'])).toBe('10000000');
  });

  it('gives up when no kid of 12 characters is left', () => {
    expect(refusal(() => nextKid(MARCH, ['z'.repeat(12)])).problem).toBe('invalid-kid');
  });
});

describe('kidTime', () => {
  it('is undefined for the first key, which was there before rotation, and for no kid', () => {
    expect(kidTime(FIRST_KID)).toBeUndefined();
    expect(kidTime('Not a kid')).toBeUndefined();
    expect(kidTime(KID_JUNE)).toEqual(new Date('2026-06-01T00:00:00.000Z'));
  });
});

describe('compareKids', () => {
  it('orders by value in base 36', () => {
    const kids = [KID_JUNE, '10', FIRST_KID, 'z', KID_MARCH];

    expect(kids.sort(compareKids)).toEqual([FIRST_KID, 'z', '10', KID_MARCH, KID_JUNE]);
  });
});

describe('withLinkKey and withoutLinkKey', () => {
  const keys = linkKeysOf([
    [FIRST_KID, key(0)],
    [KID_MARCH, key(1)],
  ]);

  it('add a newer key, which becomes the newest, and keep the others', () => {
    const added = withLinkKey(keys, KID_JUNE, key(2));

    expect(added.newest.kid).toBe(KID_JUNE);
    expect(added.byKid.get(FIRST_KID)).toEqual(key(0));
    expect(added.byKid.get(KID_MARCH)).toEqual(key(1));
    // The keys given are left as they were.
    expect(keys.byKid.has(KID_JUNE)).toBe(false);
  });

  it('refuse to add a kid that exists, one that would not be the newest, or no kid', () => {
    expect(refusal(() => withLinkKey(keys, KID_MARCH, key(2))).problem).toBe('exists');
    expect(refusal(() => withLinkKey(keys, 'tb71bz', key(2))).problem).toBe('not-newer');
    expect(refusal(() => withLinkKey(keys, 'Tb71d0', key(2))).problem).toBe('invalid-kid');
  });

  it('remove a key that is not the newest', () => {
    const removed = withoutLinkKey(keys, FIRST_KID);

    expect([...removed.byKid.keys()]).toEqual([KID_MARCH]);
    expect(removed.newest.kid).toBe(KID_MARCH);
  });

  it('refuse to remove the newest key or a kid that names none', () => {
    expect(refusal(() => withoutLinkKey(keys, KID_MARCH)).problem).toBe('newest');
    expect(refusal(() => withoutLinkKey(keys, KID_JUNE)).problem).toBe('unknown');
  });
});
