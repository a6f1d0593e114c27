import { type Context, Hono } from 'hono';
import { MEDIA_CACHE_CONTROL, mediaContentTypes, parseMediaKey } from '#core/media/media-key.ts';
import type { MediaStore } from '#core/media/ports.ts';

/**
 * `GET /media/<sha256>.jpg|png` (and `HEAD`): the photos that imports stored, read through the
 * media store. This is how `newsletter serve` shows them, so that an issue opened from the
 * outbox has its photos; on AWS a CloudFront distribution serves them from the bucket instead,
 * and the public function is given no store.
 * The ETag is the quoted SHA-256 and a matching `If-None-Match` gets `304`. A name that is not
 * a media file's, and a file the store does not have, get the app's 404 (`c.notFound()`): the
 * 404 page, as on any unknown path, so that a photo missing here answers as on AWS, where
 * `/media/…` reaches no route. An `<img>` shows it as a broken image either way; HEAD gets its
 * headers alone.
 */
export function mediaRoutes(store: MediaStore): Hono {
  const app = new Hono();

  app.get('/media/:file', async (c) => {
    const key = `media/${c.req.param('file')}`;
    const media = parseMediaKey(key);
    if (!media) return c.notFound();
    const etag = `"${media.sha256}"`;

    if (matchesEtag(c.req.header('If-None-Match'), etag)) {
      if (!(await store.has(key))) return c.notFound();
      setHeaders(c, etag, mediaContentTypes[media.format]);
      return c.body(null, 304);
    }
    // Hono answers HEAD with the GET handler's headers and no body: the size is enough.
    if (c.req.method === 'HEAD') {
      const size = await store.size(key);
      if (size === undefined) return c.notFound();
      setHeaders(c, etag, mediaContentTypes[media.format]);
      c.header('Content-Length', String(size));
      return c.body(null, 200);
    }
    const stored = await store.get(key);
    if (!stored) return c.notFound();
    setHeaders(c, etag, mediaContentTypes[media.format]);
    // A copy, since Hono takes only bytes on a plain ArrayBuffer (an image is some 150 KB).
    return c.body(new Uint8Array(stored.bytes), 200);
  });

  return app;
}

function setHeaders(c: Context, etag: string, contentType: string): void {
  c.header('Content-Type', contentType);
  c.header('Cache-Control', MEDIA_CACHE_CONTROL);
  c.header('ETag', etag);
  // The images are shown by other origins: a mail client, an issue opened from a file, the
  // archive on another host. `same-origin`, the app's default, would make browsers refuse them.
  c.header('Cross-Origin-Resource-Policy', 'cross-origin');
}

/**
 * Whether an `If-None-Match` header names this ETag: a list of ETags, compared weakly as
 * RFC 9110 says for this header (a `W/` prefix does not matter), or `*`.
 */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}
