/** The formats an email image is stored in: every client shows them (Outlook for Windows shows no WebP). */
export type ImageFormat = 'jpeg' | 'png';

/** An image made ready for email: re-encoded, upright, sRGB, without metadata. */
export interface ProcessedImage {
  /** The encoded file. */
  bytes: Uint8Array;
  format: ImageFormat;
  /** Pixels, after orientation and resizing (at most `imageLimits.outputMaxWidthPx`). */
  width: number;
  /** Pixels, after orientation and resizing. */
  height: number;
  /** SHA-256 of `bytes`, 64 lowercase hex digits: the image's content address. */
  sha256: string;
}

/** Turns an uploaded photo or graphic into an email image (sharp on AWS and locally). */
export interface ImageProcessor {
  /**
   * Checks the file against `imageLimits` before decoding it, then orients, converts,
   * strips and resizes it. The same bytes give the same output bytes.
   * @param sourceName the file name, for error messages only
   * @throws ImageError when the file is refused
   */
  process(bytes: Uint8Array, sourceName: string): Promise<ProcessedImage>;
}

/** A stored media object and the `Content-Type` it is served with. */
export interface StoredMedia {
  bytes: Uint8Array;
  contentType: string;
}

/**
 * Where processed images live (the archive bucket, under `media/`; see `mediaKey`). Keys are
 * content addresses, so an object never changes once written.
 */
export interface MediaStore {
  /**
   * Stores `bytes` under `key`. Idempotent: putting a key that exists changes nothing.
   * @throws RangeError when `key` is not a media key, or `contentType` not its format's
   */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The object under `key`, or undefined when there is none. */
  get(key: string): Promise<StoredMedia | undefined>;
  /** Whether an object is stored under `key`. */
  has(key: string): Promise<boolean>;
  /** The size in bytes of the object under `key`, or undefined when there is none. */
  size(key: string): Promise<number | undefined>;
}

/**
 * The local image files that article files name, read where the import runs (the CLI's
 * file system), so that no Lambda needs them.
 */
export interface ImageFiles {
  /**
   * Where `imagePath`, as written in `articleFile`, is: relative to the article file's
   * folder. The same file named twice resolves to the same string.
   */
  resolve(imagePath: string, articleFile: string): string;
  /**
   * The bytes of a resolved image file, checked against `imageLimits.maxInputBytes` before
   * it is read.
   * @throws ImageSourceError when the file is missing or cannot be read
   * @throws ImageError when it is empty or too large
   */
  read(path: string): Promise<Uint8Array>;
}

/** Downloads a remote image for `import --fetch-images`. */
export interface ImageFetcher {
  /**
   * The bytes at an `https:` address, within the fetcher's time limit and
   * `imageLimits.maxInputBytes`, following redirects to `https:` addresses only.
   * @throws ImageSourceError when it cannot be had: an HTTP error, a redirect elsewhere
   *   than `https:`, the time limit, a failed connection
   * @throws ImageError when it is larger than the limit
   */
  fetch(url: string): Promise<Uint8Array>;
}
