import type { ImageFormat } from './ports.ts';

/** The file extension of each stored format. */
const extensions = { jpeg: 'jpg', png: 'png' } as const satisfies Record<ImageFormat, string>;

/** The `Content-Type` of each stored format. */
export const mediaContentTypes = {
  jpeg: 'image/jpeg',
  png: 'image/png',
} as const satisfies Record<ImageFormat, string>;

/**
 * How long browsers, CDNs and caches may keep a media object: a year, never revalidated.
 * Safe because a key is the SHA-256 of its bytes: other bytes get another key.
 */
export const MEDIA_CACHE_CONTROL = 'public, max-age=31536000, immutable';

const keyPattern = /^media\/([0-9a-f]{64})\.(jpg|png)$/;

/**
 * The content-addressed key of a processed image: `media/<sha256>.jpg` or `.png`. The same
 * bytes always get the same key, so a photo used twice is stored once, and an object under a
 * key never changes (it can be cached forever).
 * @param image its SHA-256 (64 lowercase hex digits) and format
 * @throws RangeError when `sha256` is not 64 lowercase hex digits
 */
export function mediaKey(image: { sha256: string; format: ImageFormat }): string {
  if (!/^[0-9a-f]{64}$/.test(image.sha256)) {
    throw new RangeError('a media key needs a SHA-256 as 64 lowercase hex digits');
  }
  return `media/${image.sha256}.${extensions[image.format]}`;
}

/** The SHA-256 and format a media key names, or undefined when `key` is not a media key. */
export function parseMediaKey(key: string): { sha256: string; format: ImageFormat } | undefined {
  const match = keyPattern.exec(key);
  if (!match) return undefined;
  return { sha256: match[1] as string, format: match[2] === 'png' ? 'png' : 'jpeg' };
}
