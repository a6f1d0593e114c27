import { Hono } from 'hono';
import * as z from 'zod';
import { articleIdSchema, articleSchema } from '#core/articles/article.ts';
import { importArticlesWithImages } from '#core/articles/import-articles-with-images.ts';
import { parseArticleFile } from '#core/articles/parse-article-file.ts';
import { ApiError } from './api-error.ts';
import { bodyLimits } from './body-limits.ts';
import type { EditorApiDeps } from './editor-api-deps.ts';
import { limitBody } from './limit-body.ts';
import { invalid } from './parse-input.ts';
import { isJson } from './read-json.ts';
import { queryFlag, readQuery } from './read-query.ts';

/**
 * A file name as the import names the body: relative, without `..`, so that the photos it
 * names are looked for inside the import folder only.
 */
const fileName = z
  .string()
  .min(1)
  .max(200)
  .refine((name) => !/^[\\/]|^[A-Za-z]:/.test(name), { message: 'must be a relative path' })
  .refine((name) => !name.split(/[\\/]/).includes('..'), { message: 'must not contain ..' })
  .refine((name) => !name.includes('\0'), { message: 'must not contain a NUL character' });

const importQuery = z.strictObject({
  dryRun: queryFlag.optional(),
  fetchImages: queryFlag.optional(),
  id: articleIdSchema.optional(),
  publishedAt: articleSchema.shape.publishedAt.optional(),
  file: fileName.optional(),
});

/** `GET /articles` and `POST /articles`: what `articles list` and `import` do. */
export function articleRoutes(deps: EditorApiDeps): Hono {
  const routes = new Hono();

  routes.get('/articles', async (c) => {
    readQuery(c, z.strictObject({}));
    return c.json(await deps.articles.articles.list());
  });

  routes.post('/articles', limitBody(bodyLimits.articles), async (c) => {
    const query = readQuery(c, importQuery);
    const name = articleFileName(c.req.header('content-type'), query);
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const parsed = parseArticleFile(
      { name, bytes },
      { now: deps.issues.now(), publishedAt: query.publishedAt, id: query.id },
    );
    const result = await importArticlesWithImages(deps.articles, parsed, {
      dryRun: query.dryRun ?? false,
      fetchImages: query.fetchImages ?? false,
    });
    return c.json(result, query.dryRun ? 200 : 201);
  });

  return routes;
}

/**
 * The name the body is imported under: `file` when given, else `article.txt` for slideshow
 * text and `article.json` for JSON, as the CLI reads a `.json` file as JSON and any other
 * as slideshow text.
 * @throws ApiError 415 for a body neither text nor JSON; 400 for a `file` whose form
 *   disagrees with the body's type, or `id` or `publishedAt` given for JSON (as `import`)
 */
function articleFileName(
  contentType: string | undefined,
  query: z.output<typeof importQuery>,
): string {
  const json = isJson(contentType);
  if (!json && !/^text\/plain\s*(;|$)/i.test(contentType ?? '')) {
    throw new ApiError(
      415,
      'unsupported-media-type',
      'Send slideshow text as text/plain, or articles as application/json.',
      { field: 'content-type' },
    );
  }
  if (query.file !== undefined && query.file.toLowerCase().endsWith('.json') !== json) {
    invalid('file', json ? 'must end in .json for a JSON body' : 'must not end in .json for text');
  }
  if (json && query.id !== undefined) invalid('id', 'applies to slideshow text only');
  if (json && query.publishedAt !== undefined) {
    invalid('publishedAt', 'applies to slideshow text only');
  }
  return query.file ?? (json ? 'article.json' : 'article.txt');
}
