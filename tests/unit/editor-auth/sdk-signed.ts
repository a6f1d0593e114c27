// The AWS SDK's own hash, as its clients give it to SignatureV4 (`@smithy/core`, which the
// SDK's clients depend on): the requests below are signed exactly as a client signs them,
// with none of this project's signing code.
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import type { ReceivedRequest } from '#app/editor-auth/verify-sigv4.ts';

/** The key pair of AWS's examples; never a real one. */
export const KEY = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
export const REGION = 'eu-west-1';
export const SERVICE = 'execute-api';
export const HOST = '127.0.0.1:8787';
/** The time the requests are signed at, unless a test says otherwise. */
export const SIGNED_AT = new Date('2027-04-06T09:00:00Z');

/** A request as a test writes it, before signing: the path and query apart, as the SDK has them. */
export interface Unsigned {
  method: string;
  path: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: string;
}

/** What else the signer is given. */
export interface SigningChoice {
  credentials?: { accessKeyId: string; secretAccessKey: string };
  signingDate?: Date;
  region?: string;
  service?: string;
  unsignableHeaders?: Set<string>;
  /** False: no `x-amz-content-sha256` header, as some clients sign; default true. */
  applyChecksum?: boolean;
}

/**
 * `request` signed by `SignatureV4` from `@smithy/signature-v4` with the SDK's SHA-256, as an
 * SDK client signs (the `host` header added first, `x-amz-content-sha256` by the signer),
 * and as it arrives: the URL written from the path and query, the signed headers, the body.
 */
export async function sdkSigned(
  request: Unsigned,
  choice: SigningChoice = {},
): Promise<ReceivedRequest> {
  const signer = new SignatureV4({
    credentials: choice.credentials ?? KEY,
    region: choice.region ?? REGION,
    service: choice.service ?? SERVICE,
    sha256: Sha256,
    applyChecksum: choice.applyChecksum ?? true,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 8787,
      path: request.path,
      query: request.query ?? {},
      headers: { host: HOST, ...request.headers },
      ...(request.body === undefined ? {} : { body: request.body }),
    },
    {
      signingDate: choice.signingDate ?? SIGNED_AT,
      ...(choice.unsignableHeaders ? { unsignableHeaders: choice.unsignableHeaders } : {}),
    },
  );
  return {
    method: signed.method,
    url: urlOf(request.path, request.query ?? {}),
    headers: new Headers(signed.headers),
    body: new TextEncoder().encode(request.body ?? ''),
  };
}

/** The URL of a path and a query, each value encoded, repeated names in order. */
export function urlOf(path: string, query: Record<string, string | string[]>): string {
  const search = new URLSearchParams();
  for (const [name, values] of Object.entries(query)) {
    for (const value of [values].flat()) search.append(name, value);
  }
  const text = search.toString();
  return `http://${HOST}${path}${text ? `?${text}` : ''}`;
}
