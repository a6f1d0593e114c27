import * as z from 'zod';
import { httpsUrl } from '../common/https-url.ts';

/** The longest article id, in characters. */
export const MAX_ID_LENGTH = 80;

const text = z.string().trim().min(1, 'must not be empty');

/** A photo: everything optional, but it has a caption or a credit. Sizes in CSS pixels. */
export const imageSchema = z
  .object({
    caption: text.optional(),
    credit: text.optional(),
    url: httpsUrl.optional(),
    width: z.number().int().positive().optional(),
    height: z.number().int().positive().optional(),
  })
  .strict()
  .refine((image) => image.caption !== undefined || image.credit !== undefined, {
    message: 'an image needs a caption or a credit',
  });

export const slideSchema = z
  .object({
    title: text,
    image: imageSchema.optional(),
    paragraphs: z.array(text).default([]),
  })
  .strict();

export const articleIdSchema = z
  .string()
  .max(MAX_ID_LENGTH, `must be at most ${MAX_ID_LENGTH} characters`)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a slug of a-z, 0-9 and single inner hyphens');

const articleShape = {
  id: articleIdSchema,
  headline: text,
  url: httpsUrl.optional(),
  publishedAt: z.iso.datetime({ offset: true }),
  tags: z.array(text).optional(),
  lead: z
    .object({
      images: z.array(imageSchema).default([]),
      paragraphs: z.array(text).default([]),
    })
    .strict()
    .default({ images: [], paragraphs: [] }),
  slides: z.array(slideSchema).default([]),
};

const hasContent = (article: { lead: { paragraphs: string[] }; slides: unknown[] }) =>
  article.slides.length > 0 || article.lead.paragraphs.length > 0;
const contentRule = { message: 'an article needs at least one slide or lead paragraph' };

/** An article as stored and rendered (docs/article-format.md). */
export const articleSchema = z.object(articleShape).strict().refine(hasContent, contentRule);

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
