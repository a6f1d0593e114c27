import type { Context, MiddlewareHandler } from 'hono';
import type { LogLine } from '#core/common/log-line.ts';
import { withoutAddresses } from '#core/common/without-addresses.ts';
import { ApiError } from '../editor-api/api-error.ts';
import { bodyLimits } from '../editor-api/body-limits.ts';
import { setSignedActor } from './signed-actor.ts';
import { type VerifySigV4Options, verifySigV4 } from './verify-sigv4.ts';

/** What `requireSigV4` checks signatures against, and who a signer is. */
export interface RequireSigV4Options extends Omit<VerifySigV4Options, 'now'> {
  /** Who acts for the signer of `accessKeyId`, as the timeline records it (`iam:…`). */
  actorOf(accessKeyId: string): string;
  /** The clock; default the system's. */
  now?: () => Date;
  /**
   * The most bytes of a body read to check its hash; a larger one is refused with 413
   * before it is checked. Default the largest of the editor API's `bodyLimits`.
   */
  maxBodyBytes?: number;
  /** Where each refusal is logged: its code, the method and the path; no header, no key. */
  log?: LogLine;
}

/**
 * Hono middleware that lets through only requests signed with SigV4 by a known key
 * (`verifySigV4`), and tells the routes who signed (`signedActor`). A refusal answers the
 * editor API's `{ error: { code, message } }`: 401 (with `WWW-Authenticate:
 * AWS4-HMAC-SHA256`) when no usable signature came, 403 when it does not hold. The body is
 * read whole to check its hash, then handed on unchanged for the routes to read.
 */
export function requireSigV4(options: RequireSigV4Options): MiddlewareHandler {
  const maxBodyBytes = options.maxBodyBytes ?? Math.max(...Object.values(bodyLimits));
  return async (c, next) => {
    const body = await readBody(c.req.raw, maxBodyBytes);
    if (body === undefined) {
      const error = new ApiError(
        413,
        'body-too-large',
        `The body is larger than ${maxBodyBytes.toLocaleString('en')} bytes, the most the editor API takes.`,
      );
      // The rest of the body is left unread: the connection cannot carry another request.
      return c.json(error.body(), 413, { connection: 'close' });
    }
    if (c.req.raw.body !== null) c.req.raw = new Request(c.req.raw, { body });
    const verdict = await verifySigV4(
      { method: c.req.method, url: c.req.url, headers: c.req.raw.headers, body },
      { ...options, now: options.now?.() ?? new Date() },
    );
    if (!verdict.ok) {
      logRefusal(options.log, c, verdict.code, verdict.status);
      const error = new ApiError(verdict.status, verdict.code, verdict.reason);
      const challenge: Record<string, string> =
        verdict.status === 401 ? { 'www-authenticate': 'AWS4-HMAC-SHA256' } : {};
      return c.json(error.body(), verdict.status, challenge);
    }
    setSignedActor(c, options.actorOf(verdict.accessKeyId));
    await next();
  };
}

/** The whole body (empty when there is none), or undefined once it passes `maxBytes`. */
async function readBody(request: Request, maxBytes: number): Promise<Uint8Array | undefined> {
  if (request.body === null) return new Uint8Array(0);
  if (Number(request.headers.get('content-length')) > maxBytes) return undefined;
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

function logRefusal(log: LogLine | undefined, c: Context, code: string, status: number): void {
  log?.({
    level: 'warn',
    message: 'editor api request refused',
    status,
    code,
    request: withoutAddresses(`${c.req.method} ${c.req.path}`),
  });
}
