import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The header in which the studio's page sends its token with every POST and DELETE. */
export const STUDIO_TOKEN_HEADER = 'x-studio-token';

/**
 * A new random token (32 bytes, base64url) for one run of the studio: the server embeds it in
 * its page, and takes changes only from requests that send it back.
 */
export function newStudioToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Whether `given` is `token`, compared in constant time (whatever their lengths). */
export function isStudioToken(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(token));
}
