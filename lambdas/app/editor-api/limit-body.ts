import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from './api-error.ts';

/**
 * Hono's body limit for one route, answering the editor API's 413: a body announced (or
 * streamed) larger than `maxBytes` is refused before the route reads it.
 */
export function limitBody(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) => {
      const error = new ApiError(
        413,
        'body-too-large',
        `The body is larger than ${maxBytes.toLocaleString('en')} bytes, the most this route takes.`,
      );
      // The body is left unread: the connection cannot carry another request.
      return c.json(error.body(), 413, { connection: 'close' });
    },
  });
}
