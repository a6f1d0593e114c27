import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a token lets its holder do. */
export type TokenPurpose = 'unsubscribe' | 'confirm';

/**
 * Signs `subscriberId` for one purpose with HMAC-SHA256: `<subscriberId>.<signature>`,
 * URL-safe. The address is never part of a token, so none can be read from one.
 */
export function signSubscriberToken(
  key: Uint8Array,
  subscriberId: string,
  purpose: TokenPurpose,
): string {
  return `${subscriberId}.${mac(key, subscriberId, purpose).toString('base64url')}`;
}

/** The subscriber id a token was signed for, or undefined when it is forged or malformed. */
export function verifySubscriberToken(
  key: Uint8Array,
  token: string,
  purpose: TokenPurpose,
): string | undefined {
  const [subscriberId, signature, ...rest] = token.split('.');
  if (!subscriberId || !signature || rest.length > 0) return undefined;
  const expected = mac(key, subscriberId, purpose);
  const given = Buffer.from(signature, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected)
    ? subscriberId
    : undefined;
}

function mac(key: Uint8Array, subscriberId: string, purpose: TokenPurpose): Buffer {
  return createHmac('sha256', key).update(`${purpose}\n${subscriberId}`).digest();
}
