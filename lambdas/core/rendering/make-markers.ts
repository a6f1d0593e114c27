import { type RecipientField, recipientFields } from './recipient-fields.ts';

/** A random token from the platform's CSPRNG: 122 bits, hex. */
export function randomToken(): string {
  return globalThis.crypto.randomUUID().replaceAll('-', '');
}

/**
 * One fresh marker per recipient field, e.g. `nlm_unsubscribeUrl_3f9c…`. Markers are plain
 * `[A-Za-z0-9_]` so that no escaping, minifying or MIME encoding step can alter them, and
 * random so that no article text can contain one.
 * @param random returns a new unguessable token on every call (at least 16 letters or digits)
 */
export function makeMarkers(random: () => string = randomToken): Record<RecipientField, string> {
  const markers = {} as Record<RecipientField, string>;
  const seen = new Set<string>();
  for (const field of recipientFields) {
    const token = random();
    if (!/^[A-Za-z0-9]{16,}$/.test(token)) {
      throw new RangeError(`a marker token must be 16 or more letters or digits, got "${token}"`);
    }
    const marker = `nlm_${field}_${token}`;
    if (seen.has(marker)) throw new RangeError('the marker tokens must differ from each other');
    seen.add(marker);
    markers[field] = marker;
  }
  return markers;
}
