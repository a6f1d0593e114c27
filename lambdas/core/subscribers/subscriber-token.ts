import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * What a token lets its holder do: `unsubscribe` and `confirm` act on the subscriber it
 * names; `test` is the unsubscribe link of a test send (`testSendIssue`), which the
 * unsubscribe page answers as it would a real one while changing nothing. The purpose is
 * covered by the MAC, so a token of one purpose is never accepted for another: a test
 * message's link can never unsubscribe anyone.
 */
export type TokenPurpose = 'unsubscribe' | 'confirm' | 'test';

/** What a token may carry besides the subscriber id; both are signed. */
export interface TokenClaims {
  /** The issue whose message carried the link (ULID), to tell which issue people leave from. */
  issueId?: string;
  /** When the link was made; a token with it can be given a time limit when checked. */
  issuedAt?: Date;
}

/** What a valid token says. */
export interface CheckedToken extends TokenClaims {
  subscriberId: string;
}

/**
 * The result of checking a token: `malformed` (not a token at all), `forged` (well formed,
 * but not signed with this key for this purpose), `expired` (signed, but older than allowed).
 */
export type TokenCheck =
  | ({ valid: true } & CheckedToken)
  | { valid: false; problem: 'malformed' | 'forged' | 'expired' };

const ID = /^[0-9A-Za-z_-]{1,64}$/;
/** 32 bytes of HMAC-SHA256 in unpadded base64url. */
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;
const ISSUE_FIELD = /^i[0-9A-Za-z_-]{1,64}$/;
const TIME_FIELD = /^t[0-9a-z]{1,10}$/;
/** How far in the future a token's time may lie: clocks of different machines differ. */
const CLOCK_SKEW_SECONDS = 300;

/**
 * Signs a subscriber link for one purpose with HMAC-SHA256:
 * `<subscriberId>[.i<issueId>][.t<seconds, base 36>].<signature>`, URL-safe. The MAC covers
 * the purpose, the id and every field, so none can be changed or moved to another purpose.
 * The address is never part of a token, so none can be read from one. Without claims the
 * token is `<subscriberId>.<signature>`, as the first unsubscribe links were.
 */
export function signSubscriberToken(
  key: Uint8Array,
  subscriberId: string,
  purpose: TokenPurpose,
  claims: TokenClaims = {},
): string {
  if (!ID.test(subscriberId)) throw new TypeError('a subscriber id is 1-64 of A-Z a-z 0-9 _ -');
  const fields: string[] = [];
  if (claims.issueId !== undefined) {
    const field = `i${claims.issueId}`;
    if (!ISSUE_FIELD.test(field)) throw new TypeError('an issue id is 1-64 of A-Z a-z 0-9 _ -');
    fields.push(field);
  }
  if (claims.issuedAt !== undefined) {
    const seconds = Math.floor(claims.issuedAt.getTime() / 1000);
    if (!Number.isSafeInteger(seconds) || seconds < 0) throw new TypeError('issuedAt is invalid');
    fields.push(`t${seconds.toString(36)}`);
  }
  return [subscriberId, ...fields, mac(key, purpose, subscriberId, fields)].join('.');
}

/**
 * Checks a token for `purpose`, comparing signatures in constant time.
 * @param options.maxAgeSeconds when given, the token must carry its time and be no older
 *   than this; without it a token never expires (unsubscribe links must keep working)
 * @param options.now the current time (default: the clock)
 */
export function checkSubscriberToken(
  key: Uint8Array,
  token: string,
  purpose: TokenPurpose,
  options: { maxAgeSeconds?: number; now?: Date } = {},
): TokenCheck {
  const parts = token.split('.');
  if (parts.length < 2 || parts.length > 4) return { valid: false, problem: 'malformed' };
  const subscriberId = parts[0] ?? '';
  const signature = parts[parts.length - 1] ?? '';
  const fields = parts.slice(1, -1);
  if (!ID.test(subscriberId) || !SIGNATURE.test(signature)) {
    return { valid: false, problem: 'malformed' };
  }
  const claims: TokenClaims = {};
  let expecting: 'issue' | 'time' | 'none' = 'issue';
  for (const field of fields) {
    // Fields come in one order only, so each token has one spelling.
    if (expecting === 'issue' && ISSUE_FIELD.test(field)) {
      claims.issueId = field.slice(1);
      expecting = 'time';
    } else if (expecting !== 'none' && TIME_FIELD.test(field)) {
      claims.issuedAt = new Date(Number.parseInt(field.slice(1), 36) * 1000);
      expecting = 'none';
    } else {
      return { valid: false, problem: 'malformed' };
    }
  }
  // Comparing the encoded text rather than decoded bytes: base64url leaves spare bits in
  // its last character, so two spellings can decode to the same bytes.
  const expected = Buffer.from(mac(key, purpose, subscriberId, fields));
  if (!timingSafeEqual(expected, Buffer.from(signature))) {
    return { valid: false, problem: 'forged' };
  }
  if (options.maxAgeSeconds !== undefined) {
    const now = (options.now ?? new Date()).getTime() / 1000;
    const issued = claims.issuedAt ? claims.issuedAt.getTime() / 1000 : undefined;
    if (issued === undefined || now - issued > options.maxAgeSeconds) {
      return { valid: false, problem: 'expired' };
    }
    if (issued - now > CLOCK_SKEW_SECONDS) return { valid: false, problem: 'forged' };
  }
  return { valid: true, subscriberId, ...claims };
}

/**
 * The subscriber id a token was signed for, or undefined when it is forged or malformed.
 * It applies no time limit: use {@link checkSubscriberToken} for links that expire.
 */
export function verifySubscriberToken(
  key: Uint8Array,
  token: string,
  purpose: TokenPurpose,
): string | undefined {
  const checked = checkSubscriberToken(key, token, purpose);
  return checked.valid ? checked.subscriberId : undefined;
}

function mac(
  key: Uint8Array,
  purpose: TokenPurpose,
  subscriberId: string,
  fields: readonly string[],
): string {
  // Lines cannot be confused: no part may contain a line break.
  return createHmac('sha256', key)
    .update([purpose, subscriberId, ...fields].join('\n'))
    .digest('base64url');
}
