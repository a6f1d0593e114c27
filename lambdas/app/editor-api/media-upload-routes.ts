import { Hono } from 'hono';
import * as z from 'zod';
import { sha256Hex } from '#core/editor/sha256-hash.ts';
import { mediaContentTypes, mediaKey, parseMediaKey } from '#core/media/media-key.ts';
import { mediaBaseUrlOf, mediaUrl } from '#core/media/media-url.ts';
import type { ImageFormat } from '#core/media/ports.ts';
import { ApiError } from './api-error.ts';
import { bodyLimits } from './body-limits.ts';
import type { EditorApiDeps } from './editor-api-deps.ts';
import { limitBody } from './limit-body.ts';
import { mediaFormatOf } from './media-format-of.ts';
import type { MediaSettings, MediaUpload } from './media-upload.ts';
import { readQuery } from './read-query.ts';

const settingsQuery = z.strictObject({
  key: z
    .string()
    .refine((key) => parseMediaKey(key) !== undefined, {
      message: 'must be a media key, media/<sha256>.jpg or .png',
    })
    .optional(),
});

/**
 * `GET /media` and `POST /media`: how `newsletter import` stores, through the API, the photos
 * it processed where it runs (this API processes none on AWS). `GET` says where stored photos
 * are served and, for a key, whether it is stored; `POST` stores one photo under the key its
 * own bytes give, so that the articles imported next can name it at `mediaBaseUrl`.
 */
export function mediaUploadRoutes(deps: EditorApiDeps): Hono {
  const routes = new Hono();
  const { media, config } = deps.articles;

  routes.get('/media', async (c) => {
    const { key } = readQuery(c, settingsQuery);
    const settings: MediaSettings = {
      baseUrl: mediaBaseUrlOf(config),
      maxBytes: bodyLimits.media,
      ...(key === undefined ? {} : { stored: await media.has(key) }),
    };
    return c.json(settings);
  });

  routes.post('/media', limitBody(bodyLimits.media), async (c) => {
    readQuery(c, z.strictObject({}));
    const declared = declaredFormat(c.req.header('content-type'));
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const format = checkedFormat(bytes, declared);
    const key = mediaKey({ sha256: sha256Hex(bytes), format });
    const alreadyStored = await media.has(key);
    if (!alreadyStored) await media.put(key, bytes, mediaContentTypes[format]);
    const answer: MediaUpload = { key, url: mediaUrl(config, key), alreadyStored };
    return c.json(answer, alreadyStored ? 200 : 201);
  });

  return routes;
}

/**
 * The format a `Content-Type` names.
 * @throws ApiError 415 for any type but `image/jpeg` and `image/png`
 */
function declaredFormat(contentType: string | undefined): ImageFormat {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  const format = (Object.keys(mediaContentTypes) as ImageFormat[]).find(
    (each) => mediaContentTypes[each] === type,
  );
  if (format) return format;
  throw new ApiError(
    415,
    'unsupported-media-type',
    'Send a processed photo as image/jpeg or image/png.',
    { field: 'content-type' },
  );
}

/**
 * The body's format, checked by its first bytes against the one declared.
 * @throws ApiError 422 `not-an-image` when the bytes are no JPEG or PNG; `image-type-mismatch`
 *   when they are the other one
 */
function checkedFormat(bytes: Uint8Array, declared: ImageFormat): ImageFormat {
  const format = mediaFormatOf(bytes);
  if (format === declared) return format;
  if (format === undefined) {
    throw new ApiError(
      422,
      'not-an-image',
      bytes.byteLength === 0
        ? 'The body is empty: send the processed photo.'
        : 'The body is neither a JPEG nor a PNG image, whatever its Content-Type says.',
    );
  }
  throw new ApiError(
    422,
    'image-type-mismatch',
    `The body is a ${format.toUpperCase()} image, not ${mediaContentTypes[declared]} as its Content-Type says.`,
    { field: 'content-type' },
  );
}
