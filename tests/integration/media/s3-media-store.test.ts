import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buckets } from '#adapters/resources.ts';
import { S3MediaStore } from '#adapters/s3-media-store.ts';
import { SharpImageProcessor } from '#adapters/sharp-image-processor.ts';
import { MEDIA_CACHE_CONTROL, mediaContentTypes, mediaKey } from '#core/media/media-key.ts';
import { startProvisionedAws } from '../support/local-aws.ts';
import { localS3Client, mediaKeys } from '../support/local-s3-client.ts';
import { makeCameraPhoto, makeTransparentLogo } from './test-images.ts';

// The store against the embedded S3 over real HTTP, in the bucket the provisioner made.

let local: Awaited<ReturnType<typeof startProvisionedAws>>;
let s3: S3Client;
let store: S3MediaStore;
const bucket = buckets.archive.localName;

beforeAll(async () => {
  local = await startProvisionedAws();
  s3 = localS3Client(local.env);
  store = new S3MediaStore(s3, bucket);
});

afterAll(async () => {
  s3?.destroy();
  await local?.stop();
});

const processor = new SharpImageProcessor();

describe('S3MediaStore', () => {
  it('keeps a processed image byte for byte, with its type, cached for a year', async () => {
    const image = await processor.process(await makeTransparentLogo(), 'logo.png');
    const key = mediaKey(image);
    expect(await store.has(key)).toBe(false);

    await store.put(key, image.bytes, mediaContentTypes.png);

    expect(await store.has(key)).toBe(true);
    expect(await store.size(key)).toBe(image.bytes.byteLength);
    const stored = await store.get(key);
    expect(stored?.contentType).toBe('image/png');
    expect(Buffer.from(stored?.bytes ?? []).equals(Buffer.from(image.bytes))).toBe(true);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect(head.ContentType).toBe('image/png');
    expect(head.CacheControl).toBe(MEDIA_CACHE_CONTROL);
    expect(MEDIA_CACHE_CONTROL).toBe('public, max-age=31536000, immutable');

    // A key names its bytes: putting it again changes nothing, whatever is passed.
    await store.put(key, new Uint8Array([1, 2, 3]), mediaContentTypes.png);
    const kept = await store.get(key);
    expect(Buffer.from(kept?.bytes ?? []).equals(Buffer.from(image.bytes))).toBe(true);
  });

  it('answers undefined and false for a key it does not have', async () => {
    const missing = mediaKey({ sha256: '0'.repeat(64), format: 'jpeg' });
    expect(await store.get(missing)).toBeUndefined();
    expect(await store.has(missing)).toBe(false);
    expect(await store.size(missing)).toBeUndefined();
  });

  it('stores the same photo once, however often it is imported', async () => {
    const photo = await makeCameraPhoto({ width: 2000, height: 1500 });
    const before = await mediaKeys(s3);
    const keys: string[] = [];
    for (const name of ['first.jpg', 'same-photo-again.jpg']) {
      const image = await processor.process(photo, name);
      const key = mediaKey(image);
      keys.push(key);
      await store.put(key, image.bytes, mediaContentTypes[image.format]);
      await store.put(key, image.bytes, mediaContentTypes[image.format]);
    }

    expect(keys[1]).toBe(keys[0]);
    expect(keys[0]).toMatch(/^media\/[0-9a-f]{64}\.jpg$/);
    const after = await mediaKeys(s3);
    expect(after).toEqual([...before, keys[0]].sort());
    expect((await store.get(keys[0] as string))?.contentType).toBe('image/jpeg');
  });

  it('refuses a key outside media/ and a type that is not its format', async () => {
    const bytes = new Uint8Array([1, 2, 3]);
    await expect(
      store.put('issues/01M8BDWP00R8Y3V5N7Q9T1W4BC.html', bytes, 'text/html'),
    ).rejects.toThrow(RangeError);
    await expect(store.get('rendered/x.json')).rejects.toThrow(RangeError);
    const key = mediaKey({ sha256: 'f'.repeat(64), format: 'jpeg' });
    await expect(store.put(key, bytes, 'image/png')).rejects.toThrow(/not image\/png/);
    expect(await store.has(key)).toBe(false);
  });
});
