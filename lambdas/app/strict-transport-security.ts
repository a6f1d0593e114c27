import type { MiddlewareHandler } from 'hono';

/** HTTPS only, for 180 days, subdomains included: the value Hono's `secureHeaders` sends. */
export const HSTS_VALUE = 'max-age=15552000; includeSubDomains';

/**
 * Sends `Strict-Transport-Security` on the answer to a request that came over HTTPS, and on
 * no other (RFC 6797 has it sent over secure transport only). The scheme is the request
 * URL's, as the server that built the request saw it: on AWS the Lambda adapter makes every
 * URL `https:`, API Gateway answering HTTPS alone; `newsletter serve` (Node) makes it from
 * its socket, `http:` on 127.0.0.1. No header a client can write, such as
 * `X-Forwarded-Proto`, is believed: nothing in front of this app sets one for it.
 */
export function strictTransportSecurity(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (new URL(c.req.url).protocol === 'https:') c.header('Strict-Transport-Security', HSTS_VALUE);
  };
}
