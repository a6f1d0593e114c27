import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { parse } from 'node-html-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { buckets } from '#adapters/resources.ts';
import { S3MediaStore } from '#adapters/s3-media-store.ts';
import { SharpImageProcessor } from '#adapters/sharp-image-processor.ts';
import { readLiveServicesRecord } from '#cli/local/services-record.ts';
import { mediaContentTypes, mediaKey } from '#core/media/media-key.ts';
import { mediaUrl } from '#core/media/media-url.ts';
import { makeCameraPhoto } from './media/test-images.ts';
import { localS3Client } from './support/local-s3-client.ts';
import { freshHome, repoRoot } from './support/run-cli.ts';
import { startServe, stopServes } from './support/serve-cli.ts';
import { readOutbox } from './support/subscription-outbox.ts';

const clients: S3Client[] = [];
afterEach(async () => {
  await stopServes();
  for (const client of clients.splice(0)) client.destroy();
});

/** `newsletter serve` on a fresh state folder, and a media store on the S3 that it runs. */
async function serveWithMediaStore() {
  const home = await freshHome();
  const served = await startServe(home);
  const env = await readLiveServicesRecord(home);
  if (!env) throw new Error('serve recorded no services');
  const client = localS3Client(env);
  clients.push(client);
  const bucket = env[buckets.archive.env] ?? buckets.archive.localName;
  return { ...served, home, store: new S3MediaStore(client, bucket) };
}

describe('newsletter serve, the photos', () => {
  it('serves a photo in the local S3 at the address the issues give it', async () => {
    const { base, store } = await serveWithMediaStore();
    const image = await new SharpImageProcessor().process(await makeCameraPhoto(), 'harbour.jpg');
    const key = mediaKey(image);
    await store.put(key, image.bytes, mediaContentTypes.jpeg);

    // What a rendered issue links to, with publicBaseUrl pointing at serve (its default).
    const address = mediaUrl({ publicBaseUrl: base }, key);
    const response = await fetch(address);

    expect(address).toBe(`${base}/media/${image.sha256}.jpg`);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(image.bytes))).toBe(true);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('etag')).toBe(`"${image.sha256}"`);

    const again = await fetch(address, { headers: { 'If-None-Match': `"${image.sha256}"` } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');

    const head = await fetch(address, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(image.bytes.byteLength));
  });

  it('answers 404 to a photo that is not stored, and to a name that is no photo’s', async () => {
    const { base } = await serveWithMediaStore();

    const missing = await fetch(`${base}/media/${'0'.repeat(64)}.jpg`);
    const malformed = await fetch(`${base}/media/issues.html`);

    expect([missing.status, malformed.status]).toEqual([404, 404]);
  });

  it('shows the photos of a mailed issue while serve runs, at the addresses in the .eml', async () => {
    const { base, cli, home } = await serveWithMediaStore();
    await cli(['subscribers', 'add', 'reader@example.com']);
    await cli(['import', join(repoRoot, 'samples/articles/midnight-museum-tour.txt')]);
    await cli(['send']);

    const [message] = await readOutbox(home);
    const sources = parse(String(message?.mail.html))
      .querySelectorAll('img')
      .map((img) => img.getAttribute('src') ?? '');
    const photos = sources.filter((src) => src.startsWith(`${base}/media/`));
    const answers = await Promise.all(
      photos.map(async (src) => {
        const response = await fetch(src);
        await response.arrayBuffer();
        return { src, status: response.status, type: response.headers.get('content-type') };
      }),
    );

    expect(photos.length).toBeGreaterThan(0);
    expect(answers).toEqual(
      photos.map((src) => ({
        src,
        status: 200,
        type: expect.stringMatching(/^image\/(jpeg|png)$/),
      })),
    );
  });
});
