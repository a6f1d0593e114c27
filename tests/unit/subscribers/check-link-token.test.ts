import { describe, expect, it } from 'vitest';
import { checkLinkToken } from '#core/subscribers/check-link-token.ts';
import {
  FIRST_KID,
  type LinkKeySource,
  type LinkKeys,
  linkKeysOf,
} from '#core/subscribers/link-keys.ts';
import { signSubscriberToken } from '#core/subscribers/subscriber-token.ts';

const id = '01JDEMO0000000000000000000';
const first = { kid: FIRST_KID, key: new Uint8Array(32).fill(1) };
const rotated = { kid: 'tb71c0', key: new Uint8Array(32).fill(2) };
const before = linkKeysOf([[first.kid, first.key]]);
const after = linkKeysOf([
  [first.kid, first.key],
  [rotated.kid, rotated.key],
]);

/**
 * A source that has read `cached` and would read `stored` again: as a function is between a
 * rotation made elsewhere and its next read. Counts its reads.
 */
function source(cached: LinkKeys, stored: LinkKeys) {
  const reads = { current: 0, reload: 0 };
  const keys: LinkKeySource = {
    current: async () => {
      reads.current++;
      return cached;
    },
    reload: async () => {
      reads.reload++;
      cached = stored;
      return stored;
    },
  };
  return { keys, reads };
}

describe('checkLinkToken', () => {
  it('checks with the keys as they are, reading nothing more for a known kid', async () => {
    const { keys, reads } = source(after, after);
    const token = signSubscriberToken(rotated, id, 'unsubscribe');

    expect(await checkLinkToken(keys, token, 'unsubscribe')).toEqual({
      valid: true,
      subscriberId: id,
    });
    expect(reads).toEqual({ current: 1, reload: 0 });
  });

  it('reads the keys again once for a kid it does not know: a key added since', async () => {
    const { keys, reads } = source(before, after);
    const token = signSubscriberToken(rotated, id, 'unsubscribe');

    expect(await checkLinkToken(keys, token, 'unsubscribe')).toEqual({
      valid: true,
      subscriberId: id,
    });
    expect(reads).toEqual({ current: 1, reload: 1 });
  });

  it('refuses a kid still unknown after that one read: a retired key, or none ever', async () => {
    const { keys, reads } = source(before, before);
    const retired = signSubscriberToken(rotated, id, 'unsubscribe');
    const madeUp = `${id}.kzzzz.${'A'.repeat(43)}`;

    expect(await checkLinkToken(keys, retired, 'unsubscribe')).toEqual({
      valid: false,
      problem: 'unknown-key',
    });
    expect(await checkLinkToken(keys, madeUp, 'unsubscribe')).toMatchObject({ valid: false });
    expect(reads).toEqual({ current: 2, reload: 2 });
  });

  it('reads nothing more for a forged, malformed or expired token', async () => {
    const { keys, reads } = source(after, after);
    const forged = signSubscriberToken({ ...rotated, key: new Uint8Array(32) }, id, 'confirm');
    const old = signSubscriberToken(rotated, id, 'confirm', {
      issuedAt: new Date('2026-03-01T00:00:00.000Z'),
    });
    const now = new Date('2026-03-05T00:00:00.000Z');

    expect(await checkLinkToken(keys, forged, 'confirm')).toMatchObject({ problem: 'forged' });
    expect(await checkLinkToken(keys, 'no token', 'confirm')).toMatchObject({
      problem: 'malformed',
    });
    expect(
      await checkLinkToken(keys, old, 'confirm', { maxAgeSeconds: 48 * 3600, now }),
    ).toMatchObject({ problem: 'expired' });
    expect(reads.reload).toBe(0);
  });
});
