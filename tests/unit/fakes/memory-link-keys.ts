import { randomBytes } from 'node:crypto';
import {
  FIRST_KID,
  type LinkKeyStore,
  type LinkKeys,
  linkKeysOf,
  withLinkKey,
  withoutLinkKey,
} from '#core/subscribers/link-keys.ts';

/**
 * Link keys in memory, by the rules of the real stores (`withLinkKey`, `withoutLinkKey`).
 * Made with the given kids, each with 32 random bytes (default: the first key alone,
 * `FIRST_KID`, as a store is before any rotation), or with the bytes of the first key. Counts
 * the reads and the changes made, and offers the keys at once (`keys`) for a test to sign a
 * link with.
 */
export class MemoryLinkKeys implements LinkKeyStore {
  /** Calls of `current()` and of `reload()`. */
  readonly reads = { current: 0, reload: 0 };
  /** Keys added or removed. */
  changes = 0;
  private entries: Map<string, Uint8Array>;

  constructor(given: readonly string[] | Uint8Array = [FIRST_KID]) {
    this.entries =
      given instanceof Uint8Array
        ? new Map([[FIRST_KID, given]])
        : new Map(given.map((kid) => [kid, randomBytes(32)]));
  }

  /** The keys as they are now, without counting a read. */
  get keys(): LinkKeys {
    return linkKeysOf(this.entries);
  }

  async current(): Promise<LinkKeys> {
    this.reads.current++;
    return this.keys;
  }

  async reload(): Promise<LinkKeys> {
    this.reads.reload++;
    return this.keys;
  }

  async add(kid: string, _now: Date): Promise<LinkKeys> {
    const keys = withLinkKey(this.keys, kid, randomBytes(32));
    this.entries = new Map(keys.byKid);
    this.changes++;
    return keys;
  }

  async remove(kid: string): Promise<LinkKeys> {
    const keys = withoutLinkKey(this.keys, kid);
    this.entries = new Map(keys.byKid);
    this.changes++;
    return keys;
  }
}
