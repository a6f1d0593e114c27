import { createHmac } from 'node:crypto';

/** The form of an address that hashes and comparisons use: trimmed, lower case. */
export function addressKey(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * A keyed hash of an address (HMAC-SHA256 under the hash key, apart from the links by a
 * prefix: the first link key has the hash key's bytes), base64url: what a suppression keeps
 * once the address itself is forgotten, and how log lines tell addresses apart. Without the
 * key nobody can test a guessed address against it. The hash key never rotates, so a
 * suppressed or forgotten address stays known whatever becomes of the link keys.
 */
export function addressHash(key: Uint8Array, email: string): string {
  return createHmac('sha256', key)
    .update(`address\n${addressKey(email)}`)
    .digest('base64url');
}
