import type { Context } from 'hono';
import type * as z from 'zod';
import { ApiError } from './api-error.ts';
import { parseInput } from './parse-input.ts';

/**
 * The request's JSON body as `schema` reads it; an empty body reads as `{}`, so that an
 * action without options needs no body at all.
 * @throws ApiError 415 when a body is not sent as `application/json`, 400 when it is not JSON
 *   or not what `schema` wants (naming the field)
 */
export async function readJson<T extends z.ZodType>(c: Context, schema: T): Promise<z.output<T>> {
  const text = await c.req.text();
  if (text.trim() === '') return parseInput(schema, {});
  if (!isJson(c.req.header('content-type'))) {
    throw new ApiError(
      415,
      'unsupported-media-type',
      'Send the body as JSON, with Content-Type: application/json.',
      { field: 'content-type' },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'invalid-json', 'The body is not valid JSON.');
  }
  return parseInput(schema, value);
}

/** Whether a Content-Type names JSON (`application/json`, with or without a charset). */
export function isJson(contentType: string | undefined): boolean {
  return /^application\/json\s*(;|$)/i.test(contentType ?? '');
}
