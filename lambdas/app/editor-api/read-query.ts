import type { Context } from 'hono';
import * as z from 'zod';
import { parseInput } from './parse-input.ts';

/**
 * The request's query parameters as `schema` reads them (the first value of each).
 * @throws ApiError 400 naming the parameter at fault, or one `schema` does not know
 */
export function readQuery<T extends z.ZodType>(c: Context, schema: T): z.output<T> {
  return parseInput(schema, c.req.query());
}

/** A yes-or-no query parameter: `1` or `true`, `0` or `false`. */
export const queryFlag = z
  .enum(['1', 'true', '0', 'false'], { message: 'must be 1 or 0 (true or false)' })
  .transform((value) => value === '1' || value === 'true');
