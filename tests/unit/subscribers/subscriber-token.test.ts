import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIRST_KID, type LinkKey, linkKeysOf } from '#core/subscribers/link-keys.ts';
import {
  checkSubscriberToken,
  signSubscriberToken,
  type TokenPurpose,
} from '#core/subscribers/subscriber-token.ts';

/** The first key, as every link was signed before keys rotated. */
const first: LinkKey = { kid: FIRST_KID, key: new Uint8Array(32).fill(7) };
/** A key added by a rotation (its kid: 2026-03-01 in seconds, base 36). */
const rotated: LinkKey = { kid: 'tb71c0', key: new Uint8Array(32).fill(9) };
const key = first;
const keys = linkKeysOf([[first.kid, first.key]]);
const otherKeys = linkKeysOf([[FIRST_KID, new Uint8Array(32).fill(8)]]);
const both = linkKeysOf([
  [first.kid, first.key],
  [rotated.kid, rotated.key],
]);
/** The subscriber id of a valid token, else undefined. */
const verified = (token: string, purpose: TokenPurpose) => {
  const checked = checkSubscriberToken(keys, token, purpose);
  return checked.valid ? checked.subscriberId : undefined;
};
const id = '01JDEMO0000000000000000000';
const issueId = '01JISSUE000000000000000000';
const issuedAt = new Date('2025-03-07T08:00:00.000Z');
const hours = (n: number) => new Date(issuedAt.getTime() + n * 3_600_000);

describe('subscriber tokens', () => {
  it('verify for the subscriber and purpose they were signed for', () => {
    const token = signSubscriberToken(key, id, 'unsubscribe');

    expect(verified(token, 'unsubscribe')).toBe(id);
  });

  it('do not verify for another purpose', () => {
    const token = signSubscriberToken(key, id, 'unsubscribe');

    expect(verified(token, 'confirm')).toBeUndefined();
  });

  it('of a test send are never taken for unsubscribe or confirmation links, nor these for it', () => {
    const test = signSubscriberToken(key, 'test', 'test', { issueId });
    const ofSubscriber = signSubscriberToken(key, id, 'test', { issueId });
    const unsubscribe = signSubscriberToken(key, id, 'unsubscribe', { issueId });

    expect(checkSubscriberToken(keys, test, 'test')).toEqual({
      valid: true,
      subscriberId: 'test',
      issueId,
    });
    for (const token of [test, ofSubscriber]) {
      expect(checkSubscriberToken(keys, token, 'unsubscribe')).toEqual({
        valid: false,
        problem: 'forged',
      });
      expect(checkSubscriberToken(keys, token, 'confirm')).toEqual({
        valid: false,
        problem: 'forged',
      });
    }
    expect(checkSubscriberToken(keys, unsubscribe, 'test')).toEqual({
      valid: false,
      problem: 'forged',
    });
  });

  it('do not verify once the subscriber id is changed', () => {
    const token = signSubscriberToken(key, id, 'unsubscribe');

    const forged = token.replace(id, '01JDEMO0000000000000000001');

    expect(verified(forged, 'unsubscribe')).toBeUndefined();
  });

  it('do not verify under another key', () => {
    const token = signSubscriberToken(key, id, 'unsubscribe');

    expect(checkSubscriberToken(otherKeys, token, 'unsubscribe')).toEqual({
      valid: false,
      problem: 'forged',
    });
  });

  it('keep the form of the first unsubscribe links, id and signature alone', () => {
    const token = signSubscriberToken(key, id, 'unsubscribe');

    expect(token).toMatch(/^01JDEMO0000000000000000000\.[A-Za-z0-9_-]{43}$/);
  });

  it('carry the issue they were sent in, signed', () => {
    const token = signSubscriberToken(key, id, 'unsubscribe', { issueId });

    expect(checkSubscriberToken(keys, token, 'unsubscribe')).toEqual({
      valid: true,
      subscriberId: id,
      issueId,
    });
    const moved = token.replace(issueId, '01JISSUE000000000000000001');
    expect(checkSubscriberToken(keys, moved, 'unsubscribe')).toMatchObject({ valid: false });
  });

  it('never contain the address or anything but URL-safe characters', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9A-Za-z_-]{1,64}$/), (subscriberId) => {
        const token = signSubscriberToken(key, subscriberId, 'confirm', { issuedAt });
        expect(token).toMatch(/^[0-9A-Za-z_.-]+$/);
        expect(encodeURIComponent(token)).toBe(token);
      }),
    );
  });

  it('with a time limit are valid until it passes, then expired', () => {
    const token = signSubscriberToken(key, id, 'confirm', { issuedAt });
    const within = checkSubscriberToken(keys, token, 'confirm', {
      maxAgeSeconds: 48 * 3600,
      now: hours(47.9),
    });
    const after = checkSubscriberToken(keys, token, 'confirm', {
      maxAgeSeconds: 48 * 3600,
      now: hours(48.1),
    });

    expect(within).toEqual({ valid: true, subscriberId: id, issuedAt });
    expect(after).toEqual({ valid: false, problem: 'expired' });
  });

  it('without their time cannot pass a time limit', () => {
    const token = signSubscriberToken(key, id, 'confirm');

    expect(
      checkSubscriberToken(keys, token, 'confirm', { maxAgeSeconds: 3600, now: issuedAt }),
    ).toEqual({ valid: false, problem: 'expired' });
  });

  it('for unsubscribing keep working long after 60 days', () => {
    const token = signSubscriberToken(key, id, 'unsubscribe', { issueId });

    expect(
      checkSubscriberToken(keys, token, 'unsubscribe', { now: hours(24 * 400) }),
    ).toMatchObject({ valid: true, subscriberId: id });
  });

  it('reject a changed last character even where base64 has spare bits', () => {
    const token = signSubscriberToken(key, id, 'unsubscribe');
    const last = token.at(-1) as string;
    // Characters that differ only in the two bits base64url leaves unused decode alike.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const index = alphabet.indexOf(last);
    const twin = alphabet[index ^ 1] as string;

    const tampered = `${token.slice(0, -1)}${twin}`;

    expect(Buffer.from(tampered.split('.')[1] ?? '', 'base64url')).toEqual(
      Buffer.from(token.split('.')[1] ?? '', 'base64url'),
    );
    expect(checkSubscriberToken(keys, tampered, 'unsubscribe')).toEqual({
      valid: false,
      problem: 'forged',
    });
  });

  it('reject any change of a single character', () => {
    const token = signSubscriberToken(key, id, 'confirm', { issuedAt, issueId });
    fc.assert(
      fc.property(
        fc.nat({ max: token.length - 1 }),
        fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_.'),
        (position, replacement) => {
          fc.pre(token[position] !== replacement);
          const changed = token.slice(0, position) + replacement + token.slice(position + 1);
          expect(checkSubscriberToken(keys, changed, 'confirm').valid).toBe(false);
        },
      ),
    );
  });

  it('never verify an arbitrary string', () => {
    fc.assert(
      fc.property(fc.string(), (token) => {
        expect(verified(token, 'unsubscribe')).toBeUndefined();
      }),
    );
  });

  it('tell a malformed token from a forged one', () => {
    expect(checkSubscriberToken(keys, 'not a token', 'unsubscribe')).toEqual({
      valid: false,
      problem: 'malformed',
    });
    expect(checkSubscriberToken(keys, `${id}.${'A'.repeat(43)}`, 'unsubscribe')).toEqual({
      valid: false,
      problem: 'forged',
    });
  });
});

describe('subscriber tokens under rotating keys', () => {
  it('of the first key are spelled as before keys rotated: no kid field', () => {
    const token = signSubscriberToken(first, id, 'unsubscribe', { issueId });

    expect(token).toMatch(/^01JDEMO0000000000000000000\.i01JISSUE000000000000000000\.[\w-]{43}$/);
    expect(checkSubscriberToken(both, token, 'unsubscribe')).toEqual({
      valid: true,
      subscriberId: id,
      issueId,
    });
  });

  it('of another key carry its kid after the issue and the time, and check with that key', () => {
    const token = signSubscriberToken(rotated, id, 'confirm', { issueId, issuedAt });

    expect(token.split('.').slice(1, -1)).toEqual([`i${issueId}`, 'tssqu80', 'ktb71c0']);
    expect(checkSubscriberToken(both, token, 'confirm')).toEqual({
      valid: true,
      subscriberId: id,
      issueId,
      issuedAt,
    });
  });

  it('with a kid changed to that of another key kept are forged', () => {
    const token = signSubscriberToken(rotated, id, 'unsubscribe');

    const toFirst = token.replace(`.k${rotated.kid}`, '');
    const toOther = linkKeysOf([
      [first.kid, first.key],
      [rotated.kid, rotated.key],
      ['tfxeo0', new Uint8Array(32).fill(4)],
    ]);

    expect(checkSubscriberToken(both, toFirst, 'unsubscribe')).toEqual({
      valid: false,
      problem: 'forged',
    });
    expect(
      checkSubscriberToken(toOther, token.replace('ktb71c0', 'ktfxeo0'), 'unsubscribe'),
    ).toEqual({ valid: false, problem: 'forged' });
  });

  it('whose kid names no key given are of an unknown key, not forged', () => {
    const token = signSubscriberToken(rotated, id, 'unsubscribe');

    // Retired, or added since the keys were read: the signature cannot be told either way.
    expect(checkSubscriberToken(keys, token, 'unsubscribe')).toEqual({
      valid: false,
      problem: 'unknown-key',
    });
  });

  it('have one spelling: an explicit first kid, a kid before the time or twice is malformed', () => {
    const plain = signSubscriberToken(first, id, 'confirm', { issuedAt });
    const [subscriber, time, signature] = plain.split('.');

    for (const token of [
      `${subscriber}.${time}.k0.${signature}`,
      `${subscriber}.k${rotated.kid}.${time}.${signature}`,
      `${subscriber}.${time}.k${rotated.kid}.k${rotated.kid}.${signature}`,
      `${subscriber}.${time}.k0${rotated.kid}.${signature}`,
    ]) {
      expect(checkSubscriberToken(both, token, 'confirm')).toEqual({
        valid: false,
        problem: 'malformed',
      });
    }
  });

  it('cannot be signed with a malformed kid', () => {
    expect(() =>
      signSubscriberToken({ kid: 'Not-A-Kid', key: rotated.key }, id, 'unsubscribe'),
    ).toThrow(TypeError);
  });
});
