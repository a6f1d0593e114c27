import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { rfc3986Query } from '#core/editor/rfc3986-query.ts';
import { Sha256Hash } from '#core/editor/sha256-hash.ts';
import { signableRequest } from '#core/editor/signable-request.ts';

/** An AWS key pair, and the session token of temporary credentials. */
export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Where and as whom `signedFetch` signs. */
export interface SignedFetchOptions {
  /** The region of the API (`us-east-1`…), named in the signature's scope. */
  region: string;
  /** The service named in the scope; default `execute-api` (API Gateway). */
  service?: string;
  /**
   * The signer's credentials, or a function that gives them; default the AWS SDK's provider
   * chain (environment, `~/.aws` profiles and SSO, the container or instance role).
   */
  credentials?: SigningCredentials | (() => Promise<SigningCredentials>);
  /** Sends the signed request; default the global `fetch`. */
  fetch?: (url: URL, init: RequestInit) => Promise<Response>;
  /** The signing time; default now. */
  now?: () => Date;
}

let providerChain: (() => Promise<SigningCredentials>) | undefined;

/**
 * Sends `request` signed with AWS Signature Version 4 in its `Authorization` header, as the
 * SDK's clients sign (`SignatureV4` from `@smithy/signature-v4`): the method, the path, the
 * query, every header given plus `host`, `x-amz-date` and `x-amz-content-sha256`, and the
 * body's hash. For the editor API under `/editor`: on AWS behind API Gateway's IAM
 * authoriser, locally behind `requireSigV4` in `newsletter serve`. The query is sent
 * encoded as it is signed (RFC 3986), so that the checker reads what was signed.
 */
export async function signedFetch(
  request: Request,
  options: SignedFetchOptions,
): Promise<Response> {
  const url = new URL(request.url);
  url.search = rfc3986Query(url);
  const body = request.body === null ? undefined : new Uint8Array(await request.arrayBuffer());
  const headers: Record<string, string> = Object.fromEntries(request.headers);
  headers.host = url.host;
  const signer = new SignatureV4({
    credentials: options.credentials ?? defaultCredentials(),
    region: options.region,
    service: options.service ?? 'execute-api',
    sha256: Sha256Hash,
  });
  const signed = await signer.sign(signableRequest(request.method, url, headers, body), {
    signingDate: options.now?.() ?? new Date(),
  });
  // fetch writes Host from the URL itself, the very value signed.
  const { host: _host, ...sent } = signed.headers;
  const send = options.fetch ?? ((to: URL, init: RequestInit) => fetch(to, init));
  return send(url, {
    method: request.method,
    headers: sent,
    ...(body === undefined ? {} : { body }),
    redirect: request.redirect,
    signal: request.signal,
  });
}

/** The SDK's default chain, made once: it caches the credentials it finds until they expire. */
function defaultCredentials(): () => Promise<SigningCredentials> {
  providerChain ??= defaultProvider();
  return providerChain;
}
