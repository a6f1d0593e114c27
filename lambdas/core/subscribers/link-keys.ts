/**
 * The kid of the first link key: the key every link was signed with before keys rotated (on
 * AWS and locally its bytes are those of the hash key). A token signed with it carries no kid,
 * so the links mailed before rotation existed keep their spelling and keep working.
 */
export const FIRST_KID = '0';

/** What a kid (key id) looks like: 1-12 digits and lower-case letters, a number in base 36. */
export const KID_PATTERN = /^[0-9a-z]{1,12}$/;

/** Shortest link key accepted, in bytes: HMAC-SHA256 gains nothing from less than its output. */
export const MIN_LINK_KEY_BYTES = 32;

/** One key of subscriber links, and the kid that tokens signed with it carry. */
export interface LinkKey {
  kid: string;
  key: Uint8Array;
}

/**
 * Every link key not yet retired: `newest` signs new links (the kid with the greatest value
 * in base 36), and a link signed with any key of `byKid` is accepted.
 */
export interface LinkKeys {
  newest: LinkKey;
  byKid: ReadonlyMap<string, Uint8Array>;
}

/**
 * Why a change or a read of the link keys was refused:
 * - `invalid-kid`: the kid is not a number in base 36 as {@link KID_PATTERN} spells it, without
 *   leading zeros;
 * - `exists`: a key with that kid exists (adding);
 * - `not-newer`: the kid would not be the newest, so it would sign nothing (adding);
 * - `unknown`: no key has that kid (removing);
 * - `newest`: the newest key signs new links and cannot be removed;
 * - `invalid-store`: the store is missing, unreadable, empty, or holds a malformed kid or a key
 *   shorter than {@link MIN_LINK_KEY_BYTES}.
 */
export type LinkKeyProblem =
  | 'invalid-kid'
  | 'exists'
  | 'not-newer'
  | 'unknown'
  | 'newest'
  | 'invalid-store';

/** A refused change or read of the link keys. Its message never contains a key. */
export class LinkKeyError extends Error {
  override name = 'LinkKeyError';

  constructor(
    readonly problem: LinkKeyProblem,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Where the functions read the link keys. `current()` may answer from a cache (an adapter
 * says for how long); `reload()` reads the store again (an adapter may limit how often), for
 * a function that meets a kid it does not know: a key added since it last read.
 */
export interface LinkKeySource {
  current(): Promise<LinkKeys>;
  reload(): Promise<LinkKeys>;
}

/**
 * Where the link keys are kept and changed (`newsletter keys`, `/editor/keys`). Both changes
 * read the store afresh, and answer the keys as they are after the change.
 */
export interface LinkKeyStore extends LinkKeySource {
  /**
   * Adds a fresh random key under `kid` (made by {@link nextKid}), which becomes the newest.
   * @param now when the key is added (for a store that records it)
   * @throws LinkKeyError `invalid-kid`, `exists` or `not-newer`
   */
  add(kid: string, now: Date): Promise<LinkKeys>;
  /**
   * Retires the key `kid`: links signed with it are refused from then on.
   * @throws LinkKeyError `unknown` or `newest`
   */
  remove(kid: string): Promise<LinkKeys>;
}

/**
 * The link keys of a store's entries (kid, key bytes), checked: at least one, each kid
 * well formed (see {@link KID_PATTERN}, no leading zeros), each key of at least
 * {@link MIN_LINK_KEY_BYTES} bytes.
 * @throws LinkKeyError `invalid-store`, naming the kid at fault but never a key
 */
export function linkKeysOf(entries: Iterable<[string, Uint8Array]>): LinkKeys {
  const byKid = new Map<string, Uint8Array>();
  let newest: LinkKey | undefined;
  for (const [kid, key] of entries) {
    if (!isKid(kid)) {
      throw new LinkKeyError(
        'invalid-store',
        `the link keys hold a malformed kid "${printable(kid)}"`,
      );
    }
    if (!(key instanceof Uint8Array) || key.byteLength < MIN_LINK_KEY_BYTES) {
      throw new LinkKeyError(
        'invalid-store',
        `the link key ${kid} must have at least ${MIN_LINK_KEY_BYTES} bytes (it has ${key?.byteLength ?? 0})`,
      );
    }
    if (byKid.has(kid)) {
      throw new LinkKeyError('invalid-store', `the link keys hold the kid ${kid} twice`);
    }
    byKid.set(kid, key);
    if (!newest || compareKids(kid, newest.kid) > 0) newest = { kid, key };
  }
  if (!newest) throw new LinkKeyError('invalid-store', 'the link keys hold no key');
  return { newest, byKid };
}

/**
 * Orders two kids by their value in base 36 (negative when `a` is older). Exact for every
 * kid {@link KID_PATTERN} allows, which `parseInt` is not beyond 2^53.
 */
export function compareKids(a: string, b: string): number {
  const x = withoutLeadingZeros(a);
  const y = withoutLeadingZeros(b);
  if (x.length !== y.length) return x.length - y.length;
  // Digits sort before letters in ASCII, as they do in base 36.
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The kid of a key added at `now`: the time in whole seconds since 1970 in base 36 (so that
 * {@link kidTime} can tell when the key came), or one more than the greatest of `existing`
 * when that is not smaller (a clock set back, two keys in one second).
 * @throws LinkKeyError `invalid-kid` when no kid within 12 characters is left
 */
export function nextKid(now: Date, existing: Iterable<string>): string {
  const seconds = Math.floor(now.getTime() / 1000);
  let kid = Number.isSafeInteger(seconds) && seconds > 0 ? seconds.toString(36) : '1';
  for (const other of existing) {
    if (isKid(other) && compareKids(other, kid) >= 0) kid = plusOne(other);
  }
  if (!isKid(kid)) throw new LinkKeyError('invalid-kid', 'no kid is left after the greatest one');
  return kid;
}

/**
 * When a key whose kid {@link nextKid} made was added (to the second, later when the kid had
 * to be one more than another); undefined for {@link FIRST_KID}, the key that was there before
 * rotation, and for what is no kid or no time.
 */
export function kidTime(kid: string): Date | undefined {
  if (kid === FIRST_KID || !isKid(kid)) return undefined;
  const time = new Date(Number.parseInt(kid, 36) * 1000);
  return Number.isNaN(time.getTime()) ? undefined : time;
}

/**
 * The keys with a fresh `key` added under `kid`, by the rules of {@link LinkKeyStore.add}.
 * @throws LinkKeyError `invalid-kid`, `exists` or `not-newer`
 */
export function withLinkKey(keys: LinkKeys, kid: string, key: Uint8Array): LinkKeys {
  if (!isKid(kid)) {
    throw new LinkKeyError(
      'invalid-kid',
      `"${printable(kid)}" is no kid: 1-12 of 0-9 a-z, without leading zeros`,
    );
  }
  if (keys.byKid.has(kid)) throw new LinkKeyError('exists', `a link key ${kid} exists`);
  if (compareKids(kid, keys.newest.kid) <= 0) {
    throw new LinkKeyError(
      'not-newer',
      `the link key ${kid} would not be newer than the newest, ${keys.newest.kid}, and would sign nothing`,
    );
  }
  return linkKeysOf([...keys.byKid, [kid, key]]);
}

/**
 * The keys without `kid`, by the rules of {@link LinkKeyStore.remove}.
 * @throws LinkKeyError `unknown` or `newest`
 */
export function withoutLinkKey(keys: LinkKeys, kid: string): LinkKeys {
  if (!keys.byKid.has(kid)) {
    throw new LinkKeyError('unknown', `no link key has the kid "${printable(kid)}"`);
  }
  if (kid === keys.newest.kid) {
    throw new LinkKeyError(
      'newest',
      `the link key ${kid} is the newest, which signs new links: add a key before retiring it`,
    );
  }
  return linkKeysOf([...keys.byKid].filter(([other]) => other !== kid));
}

/** True for a kid as {@link KID_PATTERN} spells it, without leading zeros: one per value. */
function isKid(kid: string): boolean {
  return KID_PATTERN.test(kid) && (kid === FIRST_KID || !kid.startsWith('0'));
}

function withoutLeadingZeros(kid: string): string {
  return kid.replace(/^0+(?=.)/, '');
}

/** `kid` + 1 in base 36. */
function plusOne(kid: string): string {
  const digits = withoutLeadingZeros(kid).split('');
  for (let index = digits.length - 1; index >= 0; index--) {
    const value = Number.parseInt(digits[index] as string, 36) + 1;
    if (value < 36) {
      digits[index] = value.toString(36);
      return digits.join('');
    }
    digits[index] = '0';
  }
  return `1${digits.join('')}`;
}

/** A kid as given, cut short and without control characters, for an error message. */
function printable(kid: string): string {
  return String(kid)
    .slice(0, 20)
    .replace(/[^\x20-\x7e]/g, '?');
}
