import type { MiddlewareHandler } from 'hono';
import { ApiError } from './api-error.ts';

const SAFE_METHODS = /^(GET|HEAD|OPTIONS)$/;

/**
 * Refuses a request that changes something when a browser says it comes from another site:
 * its `Sec-Fetch-Site` is `cross-site` or `same-site`, or, from a browser that sends none, its
 * `Origin` is not the API's own. A page on any site can make a browser POST to 127.0.0.1
 * without reading the answer (a form, `text/plain`, no body); this stops it from sending an
 * issue through the studio. Tools such as `curl` send neither header and pass, and so do the
 * studio's own pages (`same-origin`).
 * @throws ApiError 403 `cross-site`
 */
export function refuseCrossSite(): MiddlewareHandler {
  return async (c, next) => {
    if (!SAFE_METHODS.test(c.req.method)) {
      const site = c.req.header('sec-fetch-site');
      const origin = c.req.header('origin');
      const foreign =
        site === undefined
          ? origin !== undefined && origin !== new URL(c.req.url).origin
          : site !== 'same-origin' && site !== 'none';
      if (foreign) {
        throw new ApiError(
          403,
          'cross-site',
          'A request from another site was refused: the editor API takes changes from the studio and from tools, not from other pages.',
        );
      }
    }
    await next();
  };
}
