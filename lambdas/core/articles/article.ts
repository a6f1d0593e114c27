import * as z from 'zod';
import { httpsUrl, isHttpsUrl } from '../common/https-url.ts';

/** The longest article id, in characters. */
export const MAX_ID_LENGTH = 80;

const text = z.string().trim().min(1, 'must not be empty');

/**
 * The address of a photo as stored: `https:`, or plain `http:` on loopback, which is where
 * a local import's photos are served (`mediaBaseUrl` below the local `publicBaseUrl`). An
 * import's input takes `https:` only (`imageSchema`); the renderer lets `http:` through only
 * below the configured base addresses.
 */
function isStoredImageUrl(value: string): boolean {
  if (isHttpsUrl(value)) return true;
  if (!/^http:\/\/(?:127\.0\.0\.1|localhost|\[::1\])[:/]/.test(value)) return false;
  return isHttpsUrl(`https://${value.slice('http://'.length)}`);
}

const imageWith = (url: z.ZodType<string>) =>
  z
    .object({
      caption: text.optional(),
      credit: text.optional(),
      url: url.optional(),
      width: z.number().int().positive().optional(),
      height: z.number().int().positive().optional(),
    })
    .strict()
    .refine((image) => image.caption !== undefined || image.credit !== undefined, {
      message: 'an image needs a caption or a credit',
    });

/** A photo: everything optional, but it has a caption or a credit. Sizes in CSS pixels. */
export const imageSchema = imageWith(httpsUrl);

/** A photo as stored: as `imageSchema`, but its `url` may also be a local import's `http:` on loopback. */
export const storedImageSchema = imageWith(
  z.string().refine(isStoredImageUrl, { message: 'must be an https: URL' }),
);

const slideWith = (image: typeof imageSchema) =>
  z
    .object({
      title: text,
      image: image.optional(),
      paragraphs: z.array(text).default([]),
    })
    .strict();

export const slideSchema = slideWith(imageSchema);

export const articleIdSchema = z
  .string()
  .max(MAX_ID_LENGTH, `must be at most ${MAX_ID_LENGTH} characters`)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a slug of a-z, 0-9 and single inner hyphens');

const articleShapeWith = (image: typeof imageSchema) => ({
  id: articleIdSchema,
  headline: text,
  url: httpsUrl.optional(),
  publishedAt: z.iso.datetime({ offset: true }),
  tags: z.array(text).optional(),
  lead: z
    .object({
      images: z.array(image).default([]),
      paragraphs: z.array(text).default([]),
    })
    .strict()
    .default({ images: [], paragraphs: [] }),
  slides: z.array(slideWith(image)).default([]),
});
const articleShape = articleShapeWith(imageSchema);

const hasContent = (article: { lead: { paragraphs: string[] }; slides: unknown[] }) =>
  article.slides.length > 0 || article.lead.paragraphs.length > 0;
const contentRule = { message: 'an article needs at least one slide or lead paragraph' };

/** An article as stored and rendered (docs/article-format.md). */
export const articleSchema = z
  .object(articleShapeWith(storedImageSchema))
  .strict()
  .refine(hasContent, contentRule);

/** An article as it may arrive: `id` and `publishedAt` may be left to the importer. */
export const articleInputSchema = z
  .object({
    ...articleShape,
    id: articleShape.id.optional(),
    publishedAt: articleShape.publishedAt.optional(),
  })
  .strict()
  .refine(hasContent, contentRule);

export type Image = z.infer<typeof imageSchema>;
export type Slide = z.infer<typeof slideSchema>;
export type Article = z.infer<typeof articleSchema>;
export type ArticleInput = z.infer<typeof articleInputSchema>;
