import type { MiddlewareHandler } from 'hono';
import { ApiError } from '#app/editor-api/api-error.ts';
import { isStudioToken, STUDIO_TOKEN_HEADER } from './studio-token.ts';

/** The methods the studio answers; only POST and DELETE change anything. */
const READS = new Set(['GET', 'HEAD']);
const CHANGES = new Set(['POST', 'DELETE']);

/** What the guard checks requests against. */
export interface StudioGuardOptions {
  /** The port the studio listens on (known once it listens: `--port 0` picks one). */
  port(): number;
  /** The token of this run, which the page sends back in `X-Studio-Token`. */
  token: string;
}

/**
 * Refuses, before any route runs, what a browser may be made to send to 127.0.0.1 by
 * another site, each with 403 and an error in the editor API's format:
 * - a `Host` other than the studio's own (`127.0.0.1:PORT`, `localhost:PORT`): a name of
 *   another site that resolves to 127.0.0.1 (DNS rebinding) would make the studio same-origin
 *   with that site;
 * - an `Origin` other than the studio's own (`null` too): a request from another page;
 * - a POST or DELETE without this run's token in `X-Studio-Token` (or with another): a page
 *   elsewhere cannot read the studio's page, so cannot know it.
 * Other methods than GET, HEAD, POST and DELETE are refused with 405.
 */
export function guardStudioRequests(options: StudioGuardOptions): MiddlewareHandler {
  return async (c, next) => {
    const own = ownOrigins(options.port());
    const host = c.req.header('host')?.toLowerCase();
    if (host === undefined || !own.hosts.includes(host)) {
      throw new ApiError(
        403,
        'unknown-host',
        'The studio answers only at its own address (127.0.0.1 or localhost, with its port).',
      );
    }
    const origin = c.req.header('origin');
    if (origin !== undefined && !own.origins.includes(origin.toLowerCase())) {
      throw new ApiError(
        403,
        'cross-site',
        'A request from another site was refused: the studio takes requests from its own page and from tools.',
      );
    }
    const method = c.req.method;
    if (!READS.has(method) && !CHANGES.has(method)) {
      throw new ApiError(405, 'method-not-allowed', `The studio does not answer ${method}.`);
    }
    if (CHANGES.has(method) && !isStudioToken(c.req.header(STUDIO_TOKEN_HEADER), options.token)) {
      throw new ApiError(
        403,
        'studio-token',
        'A change needs the token of this run of the studio in X-Studio-Token: reload the studio page (the token changes each time the studio starts).',
      );
    }
    await next();
  };
}

/** The studio's own `Host` values and origins, for its port. */
function ownOrigins(port: number) {
  const hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  return { hosts, origins: hosts.map((host) => `http://${host}`) };
}
