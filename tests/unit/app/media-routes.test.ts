import { createHash } from 'node:crypto';
import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { createPublicApp } from '#app/public-app.ts';
import type { MediaStore } from '#core/media/ports.ts';
import { MemoryMediaStore } from '../fakes/memory-media-store.ts';
import { publicAppDeps } from './public-app-deps.ts';

/** The public app with `media` as its media store (none: as the Lambda builds it). */
function appWith(media?: MediaStore) {
  return createPublicApp(publicAppDeps(media ? { media } : {}).deps);
}

/** Bytes standing in for an image, and the name the store gives them. */
function image(text: string, extension: 'jpg' | 'png') {
  const bytes = new TextEncoder().encode(text);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return {
    bytes,
    sha256,
    key: `media/${sha256}.${extension}`,
    path: `/media/${sha256}.${extension}`,
  };
}

const photo = image('a harbour at dawn', 'jpg');
const logo = image('a logo', 'png');
const missing = image('never stored', 'jpg');

async function storeWithImages(): Promise<MemoryMediaStore> {
  const store = new MemoryMediaStore();
  await store.put(photo.key, photo.bytes, 'image/jpeg');
  await store.put(logo.key, logo.bytes, 'image/png');
  return store;
}

/** What the app answers to a path it has no route for: its 404. */
async function appNotFound(app: ReturnType<typeof appWith>) {
  const response = await app.request('/no-such-page');
  return { status: response.status, body: await response.text() };
}

describe('GET /media/<file>', () => {
  it('serves a stored photo byte for byte, cached for a year under its SHA-256', async () => {
    const app = appWith(await storeWithImages());

    const response = await app.request(photo.path);

    expect(response.status).toBe(200);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(photo.bytes);
    expect(response.headers.get('Content-Type')).toBe('image/jpeg');
    expect(response.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('ETag')).toBe(`"${photo.sha256}"`);
  });

  it('serves a PNG as image/png', async () => {
    const app = appWith(await storeWithImages());

    const response = await app.request(logo.path);

    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('image/png');
  });

  it('lets other origins show the images (a mail client, an issue opened from a file)', async () => {
    const app = appWith(await storeWithImages());

    const response = await app.request(photo.path);

    expect(response.headers.get('Cross-Origin-Resource-Policy')).toBe('cross-origin');
    // The app's other security headers still apply.
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
  });

  it('answers HEAD with the headers and the length, without a body', async () => {
    const app = appWith(await storeWithImages());

    const response = await app.request(photo.path, { method: 'HEAD' });

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    expect(response.headers.get('Content-Length')).toBe(String(photo.bytes.byteLength));
    expect(response.headers.get('Content-Type')).toBe('image/jpeg');
    expect(response.headers.get('ETag')).toBe(`"${photo.sha256}"`);
  });

  it.each([
    ['its ETag', () => `"${photo.sha256}"`],
    ['its ETag as a weak one', () => `W/"${photo.sha256}"`],
    ['its ETag in a list', () => `"${logo.sha256}", "${photo.sha256}"`],
    ['*', () => '*'],
  ])('answers 304 without a body to If-None-Match naming %s', async (_, header) => {
    const app = appWith(await storeWithImages());

    const response = await app.request(photo.path, { headers: { 'If-None-Match': header() } });

    expect(response.status).toBe(304);
    expect(await response.text()).toBe('');
    expect(response.headers.get('ETag')).toBe(`"${photo.sha256}"`);
    expect(response.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
  });

  it('sends the photo again to If-None-Match naming another image', async () => {
    const app = appWith(await storeWithImages());

    const response = await app.request(photo.path, {
      headers: { 'If-None-Match': `"${logo.sha256}"` },
    });

    expect(response.status).toBe(200);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(photo.bytes);
  });

  it.each([
    ['a file the store does not have', missing.path],
    ['an upper-case SHA-256', `/media/${photo.sha256.toUpperCase()}.jpg`],
    ['a short name', `/media/${photo.sha256.slice(1)}.jpg`],
    ['another extension', `/media/${photo.sha256}.gif`],
    ['.jpeg for .jpg', `/media/${photo.sha256}.jpeg`],
    ['no extension', `/media/${photo.sha256}`],
    ['a suffix after the extension', `${photo.path}.html`],
    ['a folder below media/', `/media/x/${photo.sha256}.jpg`],
    ['an encoded slash', `/media/..%2Fissues%2F${photo.sha256}.jpg`],
    ['a dot segment', `/media/%2e%2e/${photo.sha256}.jpg`],
    ['media/ itself', '/media/'],
  ])('answers the app’s 404 to %s', async (_, path) => {
    const app = appWith(await storeWithImages());

    const response = await app.request(path);

    expect({ status: response.status, body: await response.text() }).toEqual(
      await appNotFound(app),
    );
  });

  it('answers 404, not 304, to If-None-Match for a file the store does not have', async () => {
    const app = appWith(await storeWithImages());

    const response = await app.request(missing.path, {
      headers: { 'If-None-Match': `"${missing.sha256}"` },
    });

    expect(response.status).toBe(404);
  });

  it('answers a photo the store does not have with the 404 page, kept out of caches', async () => {
    const app = appWith(await storeWithImages());

    const response = await app.request(missing.path);

    expect(response.status).toBe(404);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(parse(await response.text()).querySelector('h1')?.text).toBe('Page not found');
    // Not the photos' year-long cache: the photo may be imported later.
    expect(response.headers.get('Cache-Control')).toBe('no-store');
  });

  it('answers 404 to HEAD for a file the store does not have', async () => {
    const app = appWith(await storeWithImages());

    const response = await app.request(missing.path, { method: 'HEAD' });

    expect(response.status).toBe(404);
  });

  it('serves no media when the app is given no store, as on AWS where CloudFront does', async () => {
    const app = appWith();

    const response = await app.request(photo.path);

    expect({ status: response.status, body: await response.text() }).toEqual(
      await appNotFound(app),
    );
  });
});
