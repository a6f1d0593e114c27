import { timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { parseAmzDate } from '#core/editor/parse-amz-date.ts';
import {
  parseSigV4Authorization,
  type SigV4Authorization,
} from '#core/editor/parse-sigv4-authorization.ts';
import { Sha256Hash, sha256Hex } from '#core/editor/sha256-hash.ts';
import { signableRequest } from '#core/editor/signable-request.ts';

/** A request as it arrived, its body read whole (empty when it has none). */
export interface ReceivedRequest {
  method: string;
  /** The full URL: the path and query as sent. */
  url: string;
  headers: Headers;
  body: Uint8Array;
}

/** What `verifySigV4` checks a signature against. */
export interface VerifySigV4Options {
  /** The secret key of an access key id, or undefined for a key that is not known. */
  credentials(accessKeyId: string): string | undefined | Promise<string | undefined>;
  /** The time to compare the signature's with. */
  now: Date;
  /** The region the credential scope must name (`us-east-1`…). */
  region: string;
  /** The service the credential scope must name: `execute-api` for an HTTP API. */
  service: string;
  /** How far the signature's time may be from `now`, either way; default 5 minutes. */
  maxSkewMs?: number;
}

/** The outcome: the signer's access key, or why the request is refused. */
export type SigV4Verdict =
  | { ok: true; accessKeyId: string }
  | {
      ok: false;
      /** 401: no usable signature was sent; 403: one was, and it does not hold. */
      status: 401 | 403;
      /** A stable name of the refusal, lowercase and hyphenated. */
      code: string;
      /** For the caller; never quotes a key, a signature or a secret. */
      reason: string;
    };

/** SigV4's default: the most a signing time may differ from the server's clock. */
export const DEFAULT_MAX_SKEW_MS = 5 * 60_000;

/** Query parameters of a presigned URL (query-string authentication), by lower-case name. */
const PRESIGNED_PARAMETERS = new Set(['x-amz-signature', 'x-amz-credential', 'x-amz-algorithm']);

/** The headers every accepted signature covers, as API Gateway requires. */
const REQUIRED_SIGNED = ['host', 'x-amz-date'];

/**
 * Checks a request signed with SigV4 in its `Authorization` header, as API Gateway's IAM
 * authoriser does: reads the header and `X-Amz-Date`, checks the credential scope (its date,
 * `region`, `service`) and the time (within `maxSkewMs` of `now`), looks the access key's
 * secret up, then signs the request again with the same `SignatureV4` the AWS SDKs use, over
 * exactly the headers it says it signed and the body received, and compares the two
 * signatures in constant time. A body whose `X-Amz-Content-SHA256` is not its hash is
 * refused (`UNSIGNED-PAYLOAD` included): the body is always signed. Presigned URLs
 * (query-string authentication) are not accepted.
 *
 * Refuses with 401 a request without a readable signature (no `Authorization`, another
 * scheme, a garbled header or date, a presigned URL), and with 403 one whose signature does
 * not hold: an unknown key, a scope of another region, service or day, a time more than
 * `maxSkewMs` away, `host` or `x-amz-date` unsigned, a signed header missing, and any change
 * after signing to the method, path, query, a signed header or the body.
 */
export async function verifySigV4(
  request: ReceivedRequest,
  options: VerifySigV4Options,
): Promise<SigV4Verdict> {
  const url = new URL(request.url);
  if ([...url.searchParams.keys()].some((name) => PRESIGNED_PARAMETERS.has(name.toLowerCase()))) {
    return refuse(
      401,
      'presigned-url',
      'Presigned URLs (a signature in the query) are not accepted: sign the Authorization header.',
    );
  }
  const header = request.headers.get('authorization');
  if (header === null) {
    return refuse(401, 'unsigned', 'Sign the request with AWS Signature Version 4 (SigV4).');
  }
  const authorization = parseSigV4Authorization(header);
  if ('reason' in authorization) return refuse(401, 'unreadable-signature', authorization.reason);
  const amzDate = request.headers.get('x-amz-date') ?? '';
  const signedAt = parseAmzDate(amzDate);
  if (!signedAt) {
    return refuse(
      401,
      'unreadable-signature',
      'X-Amz-Date must be the signing time, yyyymmddThhmmssZ.',
    );
  }
  const refusal = scopeRefusal(authorization, amzDate, options) ?? timeRefusal(signedAt, options);
  if (refusal) return refusal;
  const missing = [...REQUIRED_SIGNED, ...authorization.signedHeaders].find(
    (name) => !authorization.signedHeaders.includes(name) || !request.headers.has(name),
  );
  if (missing !== undefined) {
    return refuse(403, 'unsigned-header', `The header ${missing} must be sent, and signed.`);
  }
  const secret = await options.credentials(authorization.accessKeyId);
  if (secret === undefined) {
    return refuse(403, 'unknown-key', 'The access key of the signature is not known here.');
  }
  const payloadHash = request.headers.get('x-amz-content-sha256');
  if (payloadHash !== null && payloadHash !== sha256Hex(request.body)) {
    return refuse(403, 'body-mismatch', 'X-Amz-Content-SHA256 is not the hash of the body sent.');
  }
  const expected = await signatureOf(request, url, authorization, signedAt, secret);
  const same =
    expected !== undefined &&
    timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(authorization.signature, 'hex'));
  if (!same) {
    return refuse(
      403,
      'signature-mismatch',
      'The signature does not match the request: it was changed after signing, or signed with another secret.',
    );
  }
  return { ok: true, accessKeyId: authorization.accessKeyId };
}

/** The signature SigV4 gives the request as received, with the secret known here. */
async function signatureOf(
  request: ReceivedRequest,
  url: URL,
  authorization: SigV4Authorization,
  signedAt: Date,
  secretAccessKey: string,
): Promise<string | undefined> {
  const headers: Record<string, string> = {};
  for (const name of authorization.signedHeaders) headers[name] = request.headers.get(name) ?? '';
  const { region, service } = authorization.scope;
  const signer = new SignatureV4({
    credentials: { accessKeyId: authorization.accessKeyId, secretAccessKey },
    region,
    service,
    sha256: Sha256Hash,
    // Only the headers the caller signed: no X-Amz-Content-SHA256 of our own.
    applyChecksum: false,
  });
  const signed = await signer.sign(signableRequest(request.method, url, headers, request.body), {
    signingDate: signedAt,
    // A header SigV4 leaves out by default (user-agent…) counts when the caller signed it.
    signableHeaders: new Set(authorization.signedHeaders),
  });
  const again = parseSigV4Authorization(String(signed.headers.authorization));
  return 'reason' in again ? undefined : again.signature;
}

function scopeRefusal(
  authorization: SigV4Authorization,
  amzDate: string,
  options: VerifySigV4Options,
): SigV4Verdict | undefined {
  const { date, region, service } = authorization.scope;
  if (date !== amzDate.slice(0, 8)) {
    return refuse(403, 'scope-mismatch', 'The credential scope is of another day than X-Amz-Date.');
  }
  if (region !== options.region) {
    return refuse(
      403,
      'scope-mismatch',
      `The credential scope must name the region ${options.region}.`,
    );
  }
  if (service !== options.service) {
    return refuse(
      403,
      'scope-mismatch',
      `The credential scope must name the service ${options.service}.`,
    );
  }
  return undefined;
}

function timeRefusal(signedAt: Date, options: VerifySigV4Options): SigV4Verdict | undefined {
  const maxSkewMs = options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  if (Math.abs(options.now.getTime() - signedAt.getTime()) <= maxSkewMs) return undefined;
  return refuse(
    403,
    'signature-expired',
    `The request was signed at ${signedAt.toISOString()}, more than ${maxSkewMs / 60_000} minutes from the server's time ${options.now.toISOString()}: sign it again (and check the clock).`,
  );
}

function refuse(status: 401 | 403, code: string, reason: string): SigV4Verdict {
  return { ok: false, status, code, reason };
}
