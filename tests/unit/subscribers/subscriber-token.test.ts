import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkSubscriberToken,
  signSubscriberToken,
  verifySubscriberToken,
} from '#core/subscribers/subscriber-token.ts';

const key = new Uint8Array(32).fill(7);
const otherKey = new Uint8Array(32).fill(8);
const id = '01JDEMO0000000000000000000';
const issueId = '01JISSUE000000000000000000';
const issuedAt = new Date('2025-03-07T08:00:00.000Z');
const hours = (n: number) => new Date(issuedAt.getTime() + n * 3_600_000);

describe('subscriber tokens', () => {
  it('verify for the subscriber and purpose they were signed for', () => {
    const token = signSubscriberToken(key, id, 'unsubscribe');

    expect(verifySubscriberToken(key, token, 'unsubscribe')).toBe(id);
  });

  it('do not verify for another purpose', () => {
    const token = signSubscriberToken(key, id, 'unsubscribe');

    expect(verifySubscriberToken(key, token, 'confirm')).toBeUndefined();
  });

  it('of a test send are never taken for unsubscribe or confirmation links, nor these for it', () => {
    const test = signSubscriberToken(key, 'test', 'test', { issueId });
    const ofSubscriber = signSubscriberToken(key, id, 'test', { issueId });
    const unsubscribe = signSubscriberToken(key, id, 'unsubscribe', { issueId });

    expect(checkSubscriberToken(key, test, 'test')).toEqual({
      valid: true,
      subscriberId: 'test',
      issueId,
    });
    for (const token of [test, ofSubscriber]) {
      expect(checkSubscriberToken(key, token, 'unsubscribe')).toEqual({
        valid: false,
        problem: 'forged',
      });
      expect(checkSubscriberToken(key, token, 'confirm')).toEqual({
        valid: false,
        problem: 'forged',
      });
    }
    expect(checkSubscriberToken(key, unsubscribe, 'test')).toEqual({
      valid: false,
      problem: 'forged',
    });
  });

  it('do not verify once the subscriber id is changed', () => {
    const token = signSubscriberToken(key, id, 'unsubscribe');

    const forged = token.replace(id, '01JDEMO0000000000000000001');

    expect(verifySubscriberToken(key, forged, 'unsubscribe')).toBeUndefined();
  });

  it('do not verify under another key', () => {
    const token = signSubscriberToken(key, id, 'unsubscribe');

    expect(checkSubscriberToken(otherKey, token, 'unsubscribe')).toEqual({
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

    expect(checkSubscriberToken(key, token, 'unsubscribe')).toEqual({
      valid: true,
      subscriberId: id,
      issueId,
    });
    const moved = token.replace(issueId, '01JISSUE000000000000000001');
    expect(checkSubscriberToken(key, moved, 'unsubscribe')).toMatchObject({ valid: false });
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
    const within = checkSubscriberToken(key, token, 'confirm', {
      maxAgeSeconds: 48 * 3600,
      now: hours(47.9),
    });
    const after = checkSubscriberToken(key, token, 'confirm', {
      maxAgeSeconds: 48 * 3600,
      now: hours(48.1),
    });

    expect(within).toEqual({ valid: true, subscriberId: id, issuedAt });
    expect(after).toEqual({ valid: false, problem: 'expired' });
  });

  it('without their time cannot pass a time limit', () => {
    const token = signSubscriberToken(key, id, 'confirm');

    expect(
      checkSubscriberToken(key, token, 'confirm', { maxAgeSeconds: 3600, now: issuedAt }),
    ).toEqual({ valid: false, problem: 'expired' });
  });

  it('for unsubscribing keep working long after 60 days', () => {
    const token = signSubscriberToken(key, id, 'unsubscribe', { issueId });

    expect(checkSubscriberToken(key, token, 'unsubscribe', { now: hours(24 * 400) })).toMatchObject(
      { valid: true, subscriberId: id },
    );
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
    expect(checkSubscriberToken(key, tampered, 'unsubscribe')).toEqual({
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
          expect(checkSubscriberToken(key, changed, 'confirm').valid).toBe(false);
        },
      ),
    );
  });

  it('never verify an arbitrary string', () => {
    fc.assert(
      fc.property(fc.string(), (token) => {
        expect(verifySubscriberToken(key, token, 'unsubscribe')).toBeUndefined();
      }),
    );
  });

  it('tell a malformed token from a forged one', () => {
    expect(checkSubscriberToken(key, 'not a token', 'unsubscribe')).toEqual({
      valid: false,
      problem: 'malformed',
    });
    expect(checkSubscriberToken(key, `${id}.${'A'.repeat(43)}`, 'unsubscribe')).toEqual({
      valid: false,
      problem: 'forged',
    });
  });
});
