import { describe, expect, it } from 'vitest';
import { mediaContentTypes, mediaKey, parseMediaKey } from '#core/media/media-key.ts';

const sha256 = `${'a'.repeat(56)}0123abcd`;

describe('mediaKey', () => {
  it('names a JPEG media/<sha256>.jpg and a PNG media/<sha256>.png', () => {
    expect(mediaKey({ sha256, format: 'jpeg' })).toBe(`media/${sha256}.jpg`);
    expect(mediaKey({ sha256, format: 'png' })).toBe(`media/${sha256}.png`);
  });

  it('refuses anything but 64 lowercase hex digits, so a key can never leave media/', () => {
    for (const bad of [
      '',
      'A'.repeat(64),
      'a'.repeat(63),
      'a'.repeat(65),
      `../${'a'.repeat(61)}`,
    ]) {
      expect(() => mediaKey({ sha256: bad, format: 'jpeg' })).toThrow(RangeError);
    }
  });

  it('reads back what it wrote, and nothing else', () => {
    expect(parseMediaKey(mediaKey({ sha256, format: 'png' }))).toEqual({ sha256, format: 'png' });
    expect(parseMediaKey(mediaKey({ sha256, format: 'jpeg' }))).toEqual({ sha256, format: 'jpeg' });
    for (const other of [
      `issues/${sha256}.jpg`,
      `media/${sha256}.webp`,
      `media/${sha256}.jpeg`,
      `media/${sha256}.jpg/x`,
      `/media/${sha256}.jpg`,
    ]) {
      expect(parseMediaKey(other)).toBeUndefined();
    }
  });

  it('serves each format with its own content type', () => {
    expect(mediaContentTypes).toEqual({ jpeg: 'image/jpeg', png: 'image/png' });
  });
});
