import { ImageError } from './image-error.ts';

/** What an image may be on the way in, and what it becomes on the way out. */
export const imageLimits = {
  /** The largest file accepted, in bytes: 40 MB (a 60-megapixel camera JPEG is about 30 MB). */
  maxInputBytes: 40_000_000,
  /** The most pixels on either side of an image accepted, before any resizing. */
  maxSidePx: 12_000,
  /**
   * The most pixels (width × height) an image may declare: 12,000 × 12,000. Given to sharp as
   * `limitInputPixels`, so that even a decoder it reaches refuses a decompression bomb.
   */
  maxInputPixels: 12_000 * 12_000,
  /**
   * The widest image stored, in pixels: twice the 600 px column, so it is sharp on
   * high-density screens. Narrower images keep their size.
   */
  outputMaxWidthPx: 1200,
  /**
   * mozjpeg quality (1–100) for photos. At 70 the bench's busy 1200 × 900 photo is 107 KB and
   * its 1200 × 1600 portrait 153 KB (bench/media.bench.ts); shown at half size, the
   * artefacts of 70 are too small to see.
   */
  jpegQuality: 70,
  /**
   * A graphic with at most this many colours is kept as an (indexed) PNG: JPEG would blur
   * its flat colours and sharp edges without being smaller.
   */
  fewColours: 256,
} as const;

/**
 * The formats read, as sharp names them: what cameras, phones and editors export. SVG (which
 * can load other files), PDF and the rest are refused: export them as PNG or JPEG.
 */
export const acceptedInputFormats: readonly string[] = [
  'jpeg',
  'png',
  'webp',
  'gif',
  'tiff',
  'avif',
  'heif',
];

/**
 * Refuses a file by its length alone, before anything reads it.
 * @param byteLength the file's length in bytes
 * @throws ImageError `too-large` over `imageLimits.maxInputBytes`; `not-an-image` when empty
 */
export function checkFileSize(byteLength: number, sourceName: string): void {
  if (byteLength === 0) {
    throw new ImageError(sourceName, 'not-an-image', 'is empty: export the image again');
  }
  if (byteLength > imageLimits.maxInputBytes) {
    throw new ImageError(
      sourceName,
      'too-large',
      `is ${megabytes(byteLength)}; the most is ${megabytes(imageLimits.maxInputBytes)}: ` +
        'export it smaller (1200 px wide is all an email shows)',
    );
  }
}

/**
 * Refuses a format this project does not read.
 * @param format the format as sharp names it in its metadata, e.g. `jpeg`, `svg`
 * @throws ImageError `not-an-image`
 */
export function checkFormat(format: string, sourceName: string): void {
  if (acceptedInputFormats.includes(format)) return;
  throw new ImageError(
    sourceName,
    'not-an-image',
    `is ${format === 'svg' ? 'an SVG drawing' : `a ${format.toUpperCase()} file`}, ` +
      'not a photo or graphic this newsletter reads: export it as JPEG or PNG',
  );
}

/**
 * Refuses an image by the size its header declares, before its pixels are decoded.
 * @param width pixels, as stored (before orientation)
 * @param height pixels, as stored
 * @throws ImageError `too-many-pixels` over `maxSidePx` on a side or `maxInputPixels` in all
 */
export function checkDimensions(width: number, height: number, sourceName: string): void {
  const { maxSidePx, maxInputPixels } = imageLimits;
  if (width <= maxSidePx && height <= maxSidePx && width * height <= maxInputPixels) return;
  throw new ImageError(
    sourceName,
    'too-many-pixels',
    `is ${width} × ${height} px; the most is ${maxSidePx.toLocaleString('en')} px on a side: ` +
      'export it smaller (1200 px wide is all an email shows)',
  );
}

/**
 * Bytes in decimal megabytes, rounded up to one decimal (`52.4 MB`), so that a file just over
 * the limit never reads as the limit itself.
 */
function megabytes(bytes: number): string {
  return `${(Math.ceil(bytes / 100_000) / 10).toFixed(1).replace(/\.0$/, '')} MB`;
}
