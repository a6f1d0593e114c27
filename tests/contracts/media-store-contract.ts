import { describe, expect, it } from 'vitest';
import { mediaContentTypes, mediaKey } from '#core/media/media-key.ts';
import type { MediaStore } from '#core/media/ports.ts';

const jpegKey = mediaKey({ sha256: 'a'.repeat(64), format: 'jpeg' });
const pngKey = mediaKey({ sha256: 'b'.repeat(64), format: 'png' });
const bytes = (...values: number[]) => new Uint8Array(values);

/** What every `MediaStore` promises; `makeSubject` gives an empty store each time. */
export function describeMediaStoreContract(
  name: string,
  makeSubject: () => MediaStore | Promise<MediaStore>,
) {
  describe(`${name} keeps the MediaStore contract`, () => {
    it('gives back what was put, byte for byte, with its type and size', async () => {
      const store = await makeSubject();

      await store.put(pngKey, bytes(137, 80, 78, 71, 0, 255), mediaContentTypes.png);

      const stored = await store.get(pngKey);
      expect(stored?.contentType).toBe('image/png');
      expect([...(stored?.bytes ?? [])]).toEqual([137, 80, 78, 71, 0, 255]);
      expect(await store.has(pngKey)).toBe(true);
      expect(await store.size(pngKey)).toBe(6);
    });

    it('knows nothing of a key never put', async () => {
      const store = await makeSubject();

      expect(await store.get(jpegKey)).toBeUndefined();
      expect(await store.has(jpegKey)).toBe(false);
      expect(await store.size(jpegKey)).toBeUndefined();
    });

    it('keeps the first bytes of a key put twice: a key names its content', async () => {
      const store = await makeSubject();
      await store.put(jpegKey, bytes(1, 2, 3), mediaContentTypes.jpeg);

      await store.put(jpegKey, bytes(9), mediaContentTypes.jpeg);

      expect([...((await store.get(jpegKey))?.bytes ?? [])]).toEqual([1, 2, 3]);
    });

    it('refuses a key outside media/ and a type that is not the key format', async () => {
      const store = await makeSubject();

      await expect(store.put('issues/x.html', bytes(1), 'text/html')).rejects.toThrow(RangeError);
      await expect(store.has('media/not-a-hash.jpg')).rejects.toThrow(RangeError);
      await expect(store.put(pngKey, bytes(1), mediaContentTypes.jpeg)).rejects.toThrow(RangeError);
      expect(await store.has(pngKey)).toBe(false);
    });
  });
}
