import { mediaContentTypes, parseMediaKey } from '#core/media/media-key.ts';
import type { MediaStore, StoredMedia } from '#core/media/ports.ts';

/** In-memory `MediaStore` for unit tests; keeps the contract of `S3MediaStore`. */
export class MemoryMediaStore implements MediaStore {
  readonly objects = new Map<string, StoredMedia>();
  /** Every `put` that wrote an object, in order: a put of a key already there is not one. */
  readonly writes: string[] = [];

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    const { format } = checkKey(key);
    if (contentType !== mediaContentTypes[format]) {
      throw new RangeError(`${key} is ${mediaContentTypes[format]}, not ${contentType}`);
    }
    if (this.objects.has(key)) return;
    this.objects.set(key, { bytes: new Uint8Array(bytes), contentType });
    this.writes.push(key);
  }

  async get(key: string): Promise<StoredMedia | undefined> {
    checkKey(key);
    const stored = this.objects.get(key);
    return stored && { bytes: new Uint8Array(stored.bytes), contentType: stored.contentType };
  }

  async has(key: string): Promise<boolean> {
    checkKey(key);
    return this.objects.has(key);
  }

  async size(key: string): Promise<number | undefined> {
    checkKey(key);
    return this.objects.get(key)?.bytes.byteLength;
  }
}

function checkKey(key: string) {
  const parsed = parseMediaKey(key);
  if (!parsed) throw new RangeError(`${JSON.stringify(key)} is not a media key`);
  return parsed;
}
