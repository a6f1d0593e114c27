import type { ImageFormat } from '#core/media/ports.ts';

/** The first bytes of each stored format's files: JPEG's start of image, PNG's signature. */
const signatures: Record<ImageFormat, readonly number[]> = {
  jpeg: [0xff, 0xd8, 0xff],
  png: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
};

/**
 * The stored format (`jpeg` or `png`) that `bytes` are, by their first bytes (their magic
 * number), whatever a header claims; undefined for anything else: another format, text, an
 * empty body.
 */
export function mediaFormatOf(bytes: Uint8Array): ImageFormat | undefined {
  for (const [format, signature] of Object.entries(signatures) as [ImageFormat, number[]][]) {
    if (signature.every((byte, index) => bytes[index] === byte)) return format;
  }
  return undefined;
}
