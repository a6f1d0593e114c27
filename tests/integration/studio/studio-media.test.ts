import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { studioMediaAddresses } from '#cli/studio/page/frame-html.ts';
import { mediaBaseUrlOf } from '#core/media/media-url.ts';
import {
  fromPage,
  rawRequest,
  SAMPLES,
  type StudioHarness,
  startStudioHarness,
} from './studio-harness.ts';

// The photos of a preview, served by the studio itself at /media/… (no `newsletter serve`).

let harness: StudioHarness;
let previewHtml: string;
let mediaBase: string;

beforeAll(async () => {
  harness = await startStudioHarness();
  const file = 'midnight-museum-tour.txt';
  const text = await readFile(join(SAMPLES, file), 'utf8');
  const imported = await fromPage(harness, 'POST', `/api/articles?file=${file}`, { text });
  expect(imported.status).toBe(201);
  const preview = await fromPage(harness, 'GET', '/api/preview?at=2030-01-01T09:00');
  expect(preview.status).toBe(200);
  previewHtml = preview.body.html;
  mediaBase = mediaBaseUrlOf(harness.studio.live.configNow);
});
afterAll(async () => {
  await harness?.stop();
});

/** The `src` of every `<img>` of `html`. */
function imageSources(html: string): string[] {
  return [...html.matchAll(/<img\b[^>]*?\ssrc="([^"]*)"/gi)].map((match) => match[1] as string);
}

describe('GET /media/…', () => {
  it('serves a photo of a preview answer, its address moved to /media/ as the frame does, with 200 and an image type', async () => {
    const original = imageSources(previewHtml).filter((src) => src.startsWith(`${mediaBase}/`));
    const moved = imageSources(studioMediaAddresses(previewHtml, mediaBase)).filter((src) =>
      src.startsWith('/media/'),
    );
    const photo = await fetch(`${harness.base}${moved[0]}`);
    const bytes = new Uint8Array(await photo.arrayBuffer());

    expect(original.length).toBeGreaterThan(0);
    expect(moved).toEqual(original.map((src) => `/media/${src.slice(mediaBase.length + 1)}`));
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toMatch(/^image\/(jpeg|png)$/);
    expect(bytes.length).toBeGreaterThan(0);
  });

  it('answers a media name it does not store with 404 no-route', async () => {
    const missing = await fromPage(harness, 'GET', `/media/${'0'.repeat(64)}.jpg`);

    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('no-route');
  });

  it('refuses a photo asked with a Host other than its own with 403 unknown-host', async () => {
    const [src] = imageSources(studioMediaAddresses(previewHtml, mediaBase)).filter((each) =>
      each.startsWith('/media/'),
    );
    const refused = await rawRequest(harness.studio.port, 'GET', src as string, {
      host: `rebound.example:${harness.studio.port}`,
    });

    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body).error.code).toBe('unknown-host');
  });

  it('does not take a POST at /media/…, even with the token: 404 no-route', async () => {
    const posted = await fromPage(harness, 'POST', `/media/${'0'.repeat(64)}.jpg`, { text: 'x' });

    expect(posted.status).toBe(404);
    expect(posted.body.error.code).toBe('no-route');
  });
});
