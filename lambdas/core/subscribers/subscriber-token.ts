import { createHmac, timingSafeEqual } from 'node:crypto';
import { FIRST_KID, type LinkKey, type LinkKeys } from './link-keys.ts';

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
 * The result of checking a token: `malformed` (not a token at all), `unknown-key` (well
 * formed, but its kid names no key of those given: a key retired, or one added since they
 * were read), `forged` (well formed, but not signed with its key for this purpose), `expired`
 * (signed, but older than allowed).
 */
export type TokenCheck =
  | ({ valid: true } & CheckedToken)
  | { valid: false; problem: 'malformed' | 'unknown-key' | 'forged' | 'expired' };

const ID = /^[0-9A-Za-z_-]{1,64}$/;
/** 32 bytes of HMAC-SHA256 in unpadded base64url. */
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;
const ISSUE_FIELD = /^i[0-9A-Za-z_-]{1,64}$/;
const TIME_FIELD = /^t[0-9a-z]{1,10}$/;
/** A kid other than the first, without leading zeros: the first key's tokens carry none. */
const KID_FIELD = /^k[1-9a-z][0-9a-z]{0,11}$/;
/** The order of the fields between the id and the signature. */
const FIELD_ORDER = ['issue', 'time', 'kid'] as const;
/** How far in the future a token's time may lie: clocks of different machines differ. */
const CLOCK_SKEW_SECONDS = 300;

/**
 * Signs a subscriber link for one purpose with HMAC-SHA256 under `key` (the newest link key,
 * `LinkKeys.newest`): `<subscriberId>[.i<issueId>][.t<seconds, base 36>][.k<kid>].<signature>`,
 * URL-safe. The MAC covers the purpose, the id and every field, the kid included, so none can
 * be changed or moved to another purpose. The address is never part of a token, so none can
 * be read from one. A token of the first key (`FIRST_KID`) carries no kid: signed with it and
 * without claims, the token is `<subscriberId>.<signature>`, as the first unsubscribe links
 * were.
 */
export function signSubscriberToken(
  key: LinkKey,
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
  if (key.kid !== FIRST_KID) {
    const field = `k${key.kid}`;
    if (!KID_FIELD.test(field)) throw new TypeError('a kid is 1-12 of 0-9 a-z, no leading zero');
    fields.push(field);
  }
  return [subscriberId, ...fields, mac(key.key, purpose, subscriberId, fields)].join('.');
}

/**
 * Checks a token for `purpose` with the key its kid names among `keys` (the first key's when
 * it carries none), comparing signatures in constant time. A kid that names none of them is
 * `unknown-key`: see `checkLinkToken`, which reads the keys again before it refuses one.
 * @param options.maxAgeSeconds when given, the token must carry its time and be no older
 *   than this; without it a token never expires (unsubscribe links must keep working)
 * @param options.now the current time (default: the clock)
 */
export function checkSubscriberToken(
  keys: LinkKeys,
  token: string,
  purpose: TokenPurpose,
  options: { maxAgeSeconds?: number; now?: Date } = {},
): TokenCheck {
  const parts = token.split('.');
  if (parts.length < 2 || parts.length > 5) return { valid: false, problem: 'malformed' };
  const subscriberId = parts[0] ?? '';
  const signature = parts[parts.length - 1] ?? '';
  const fields = parts.slice(1, -1);
  if (!ID.test(subscriberId) || !SIGNATURE.test(signature)) {
    return { valid: false, problem: 'malformed' };
  }
  const claims: TokenClaims = {};
  let kid = FIRST_KID;
  let next = 0;
  for (const field of fields) {
    // Fields come in one order only, each at most once, so each token has one spelling.
    const kind = fieldKind(field);
    const at = kind === undefined ? -1 : FIELD_ORDER.indexOf(kind);
    if (at < next) return { valid: false, problem: 'malformed' };
    next = at + 1;
    const value = field.slice(1);
    switch (kind) {
      case 'issue':
        claims.issueId = value;
        break;
      case 'time':
        claims.issuedAt = new Date(Number.parseInt(value, 36) * 1000);
        break;
      case 'kid':
        kid = value;
        break;
    }
  }
  const key = keys.byKid.get(kid);
  if (!key) return { valid: false, problem: 'unknown-key' };
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

function fieldKind(field: string): (typeof FIELD_ORDER)[number] | undefined {
  if (ISSUE_FIELD.test(field)) return 'issue';
  if (TIME_FIELD.test(field)) return 'time';
  if (KID_FIELD.test(field)) return 'kid';
  return undefined;
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
