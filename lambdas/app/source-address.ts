import type { Context } from 'hono';

/**
 * The address the request came from, as the host saw the connection: on Lambda, API
 * Gateway's `requestContext.http.sourceIp` (the Lambda event that `hono/aws-lambda` passes as
 * `c.env.event`); under `@hono/node-server` (`newsletter serve`), the socket's remote address
 * (`c.env.incoming`). Never a header such as `X-Forwarded-For` or `Forwarded`, which the
 * client writes. Undefined on a host that gives neither (a test's `app.request`).
 */
export function sourceAddress(c: Context): string | undefined {
  const env = c.env as
    | {
        event?: { requestContext?: { http?: { sourceIp?: unknown } } };
        incoming?: { socket?: { remoteAddress?: unknown } };
      }
    | undefined;
  const fromLambda = env?.event?.requestContext?.http?.sourceIp;
  if (typeof fromLambda === 'string' && fromLambda !== '') return fromLambda;
  const fromSocket = env?.incoming?.socket?.remoteAddress;
  return typeof fromSocket === 'string' && fromSocket !== '' ? fromSocket : undefined;
}
