import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signSubscriberToken } from '#core/subscribers/subscriber-token.ts';
import { unsubscribeUrl } from '#core/subscribers/unsubscribe-url.ts';

const BASE = 'https://news.example.com';

describe('unsubscribeUrl', () => {
  it('links a signed token to the unsubscribe page, where it reads back unchanged', () => {
    const token = signSubscriberToken(
      { kid: 't5p3k0', key: new Uint8Array(32).fill(7) },
      '01JSUB00000000000000000001',
      'unsubscribe',
    );

    const url = new URL(unsubscribeUrl(BASE, token));

    expect(url.origin + url.pathname).toBe('https://news.example.com/unsubscribe');
    expect(url.searchParams.get('token')).toBe(token);
    expect(url.href).toBe(`${BASE}/unsubscribe?token=${token}`);
  });

  it('gives the bare unsubscribe page to a copy that belongs to nobody', () => {
    expect(unsubscribeUrl(BASE)).toBe('https://news.example.com/unsubscribe');
  });

  it('keeps any token whole, whatever characters it holds', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 80 }), (token) => {
        const url = new URL(unsubscribeUrl(BASE, token));
        expect([url.pathname, url.searchParams.get('token')]).toEqual(['/unsubscribe', token]);
      }),
    );
  });
});
