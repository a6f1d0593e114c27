import * as z from 'zod';
import { articleIdSchema } from '#core/articles/article.ts';
import { hasControlCharacter } from '#core/common/control-characters.ts';
import { MAX_SUBJECT_LENGTH } from '#core/issues/issue-subject.ts';
import { MAX_PREHEADER_LENGTH } from '#core/rendering/issue-preheader.ts';

/** An issue's or a subscriber's id: opaque, `[0-9A-Za-z_-]`, never an address. */
export const idSchema = z
  .string()
  .regex(/^[0-9A-Za-z_-]{1,64}$/, 'must be an id (letters, digits, - and _), not an address');

/** A time as an editor writes it (`2027-04-06T09:00`, read in `scheduleTimeZone`). */
export const timeSchema = z.string().min(1).max(64);

/** Messages per second, above 0. */
export const rateSchema = z.number().positive().finite();

/** A line an editor writes for the header: not empty, no control character, short. */
function editorLine(max: number) {
  return z
    .string()
    .refine((value) => value.trim() !== '', { message: 'is empty' })
    .refine((value) => !hasControlCharacter(value), { message: 'holds a control character' })
    .refine((value) => [...value].length <= max, { message: `has more than ${max} characters` });
}

/**
 * What an editor may choose for a draft (`DraftChoice`), as `issues draft` and `issues
 * render` take it; the intro's own rules are the renderer's (`introParagraphs`).
 */
export const draftChoiceShape = {
  articleIds: z.array(articleIdSchema).min(1).max(100).optional(),
  subject: editorLine(MAX_SUBJECT_LENGTH).optional(),
  preheader: editorLine(MAX_PREHEADER_LENGTH).optional(),
  intro: z.string().optional(),
};

/** The choice as the core takes it: only what was given. */
export function draftChoiceOf(body: {
  articleIds?: string[] | undefined;
  subject?: string | undefined;
  preheader?: string | undefined;
  intro?: string | undefined;
}) {
  return {
    ...(body.articleIds === undefined ? {} : { articleIds: body.articleIds }),
    ...(body.subject === undefined ? {} : { subject: body.subject }),
    ...(body.preheader === undefined ? {} : { preheader: body.preheader }),
    ...(body.intro === undefined ? {} : { intro: body.intro }),
  };
}
