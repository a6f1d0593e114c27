import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signSubscriberToken, verifySubscriberToken } from '#core/subscriber-token.ts';

const key = new Uint8Array(32).fill(7);

describe('subscriber tokens', () => {
  it('verify for the subscriber and purpose they were signed for', () => {
    const token = signSubscriberToken(key, '01JDEMO0000000000000000000', 'unsubscribe');

    expect(verifySubscriberToken(key, token, 'unsubscribe')).toBe('01JDEMO0000000000000000000');
  });

  it('do not verify for another purpose', () => {
    const token = signSubscriberToken(key, '01JDEMO0000000000000000000', 'unsubscribe');

    expect(verifySubscriberToken(key, token, 'confirm')).toBeUndefined();
  });

  it('do not verify once the subscriber id is changed', () => {
    const token = signSubscriberToken(key, '01JDEMO0000000000000000000', 'unsubscribe');

    const forged = token.replace('01JDEMO0000000000000000000', '01JDEMO0000000000000000001');

    expect(verifySubscriberToken(key, forged, 'unsubscribe')).toBeUndefined();
  });

  it('never verify an arbitrary string', () => {
    fc.assert(
      fc.property(fc.string(), (token) => {
        expect(verifySubscriberToken(key, token, 'unsubscribe')).toBeUndefined();
      }),
    );
  });
});
