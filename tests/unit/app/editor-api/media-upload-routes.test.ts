import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bodyLimits } from '#app/editor-api/body-limits.ts';
import { editorApi } from '#app/editor-api/editor-api.ts';
import type { MediaUpload } from '#app/editor-api/media-upload.ts';
import { mediaBaseUrlOf } from '#core/media/media-url.ts';
import { memoryEditorApiDeps } from './memory-editor-api-deps.ts';

// `GET /media` and `POST /media` on in-memory ports: the photos a remote `newsletter import`
// processed on the editor's machine and uploads for the articles it imports next.

/** The first bytes of a JPEG and of a PNG file, then some bytes of "image". */
const JPEG_START = [0xff, 0xd8, 0xff, 0xe0];
const PNG_START = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const jpeg = (...rest: number[]) => Uint8Array.from([...JPEG_START, ...rest]);
const png = (...rest: number[]) => Uint8Array.from([...PNG_START, ...rest]);

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function mediaApi() {
  const memory = await memoryEditorApiDeps();
  const app = editorApi(memory.deps);
  const upload = (bytes: Uint8Array, contentType = 'image/jpeg') =>
    app.request('/media', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: bytes,
    });
  /** The answer of an upload that was taken. */
  const uploaded = async (bytes: Uint8Array, contentType?: string) =>
    (await (await upload(bytes, contentType)).json()) as MediaUpload;
  const media = memory.issues.media;
  // Where the configuration says stored photos are served.
  const base = mediaBaseUrlOf(memory.deps.config);
  return { ...memory, app, upload, uploaded, media, base };
}

describe('POST /media', () => {
  it('stores a photo under the key its bytes give, and says where it is served', async () => {
    const { upload, media, base } = await mediaApi();
    const photo = jpeg(1, 2, 3);

    const response = await upload(photo);

    expect(response.status).toBe(201);
    const key = `media/${sha256(photo)}.jpg`;
    expect(await response.json()).toEqual({
      key,
      url: `${base}/${sha256(photo)}.jpg`,
      alreadyStored: false,
    });
    expect(await media.get(key)).toEqual({ bytes: photo, contentType: 'image/jpeg' });
  });

  it('keys other bytes elsewhere, and a PNG as .png', async () => {
    const { uploaded } = await mediaApi();

    const first = await uploaded(jpeg(1));
    const second = await uploaded(jpeg(2));
    const graphic = await uploaded(png(1), 'image/png');

    expect(first.key).not.toBe(second.key);
    expect(graphic.key).toBe(`media/${sha256(png(1))}.png`);
  });

  it('stores a photo sent twice once, answering the second time 200 with the same key', async () => {
    const { upload, media } = await mediaApi();
    const photo = jpeg(7, 7, 7);

    const first = await upload(photo);
    const again = await upload(photo);

    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    const firstAnswer = (await first.json()) as MediaUpload;
    const againAnswer = (await again.json()) as MediaUpload;
    expect(againAnswer).toEqual({ ...firstAnswer, alreadyStored: true });
    expect(media.writes).toEqual([firstAnswer.key]);
  });

  it('refuses bytes that are not the image type they are sent as, and stores nothing', async () => {
    const { upload, media } = await mediaApi();

    const text = await upload(
      new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'),
    );
    const empty = await upload(new Uint8Array(0), 'image/png');
    const pngAsJpeg = await upload(png(1), 'image/jpeg');
    const gif = await upload(Uint8Array.from([0x47, 0x49, 0x46, 0x38, 0x39, 0x61]), 'image/gif');

    expect(text.status).toBe(422);
    expect(await text.json()).toMatchObject({ error: { code: 'not-an-image' } });
    expect(empty.status).toBe(422);
    expect(await empty.json()).toMatchObject({ error: { code: 'not-an-image' } });
    expect(pngAsJpeg.status).toBe(422);
    expect(await pngAsJpeg.json()).toMatchObject({
      error: { code: 'image-type-mismatch', field: 'content-type' },
    });
    expect(gif.status).toBe(415);
    expect(await gif.json()).toMatchObject({
      error: { code: 'unsupported-media-type', field: 'content-type' },
    });
    expect(media.writes).toEqual([]);
  });

  it('takes a photo of the largest size, and refuses one byte more with 413, storing nothing', async () => {
    const { upload, media } = await mediaApi();
    const largest = new Uint8Array(bodyLimits.media);
    largest.set(JPEG_START);
    const larger = new Uint8Array(bodyLimits.media + 1);
    larger.set(JPEG_START);

    const taken = await upload(largest);
    const refused = await upload(larger);

    expect(taken.status).toBe(201);
    expect(refused.status).toBe(413);
    expect(await refused.json()).toMatchObject({ error: { code: 'body-too-large' } });
    expect(media.writes).toEqual([`media/${sha256(largest)}.jpg`]);
  });

  it('is recorded in the audit trail as a change', async () => {
    const { upload, audit } = await mediaApi();

    await upload(jpeg(9));

    expect(await audit.list()).toEqual([
      expect.objectContaining({ action: 'POST /media', outcome: { result: 'ok', status: 201 } }),
    ]);
  });
});

describe('GET /media', () => {
  it('says where stored photos are served, the largest one taken, and whether a key is stored', async () => {
    const { app, uploaded, base } = await mediaApi();
    const { key } = await uploaded(jpeg(4));
    const missing = `media/${sha256(jpeg(5))}.jpg`;

    const settings = await app.request('/media');
    const stored = await app.request(`/media?key=${encodeURIComponent(key)}`);
    const absent = await app.request(`/media?key=${encodeURIComponent(missing)}`);

    expect(await settings.json()).toEqual({ baseUrl: base, maxBytes: bodyLimits.media });
    expect(await stored.json()).toEqual({
      baseUrl: base,
      maxBytes: bodyLimits.media,
      stored: true,
    });
    expect(await absent.json()).toMatchObject({ stored: false });
  });

  it('refuses a key that is not a media key, naming it', async () => {
    const { app } = await mediaApi();

    const response = await app.request('/media?key=issues/01K.html');

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid-input', field: 'key' } });
  });
});
