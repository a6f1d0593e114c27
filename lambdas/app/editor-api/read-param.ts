import type { Context } from 'hono';
import * as z from 'zod';
import { idSchema } from './input-schemas.ts';
import { parseInput } from './parse-input.ts';

/**
 * The id in the route's path (`:id`).
 * @throws ApiError 400 naming `id` when it cannot be an id (an address, say)
 */
export function readId(c: Context): string {
  return parseInput(z.object({ id: idSchema }), { id: c.req.param('id') }).id;
}
