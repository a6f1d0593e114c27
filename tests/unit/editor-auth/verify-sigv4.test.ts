import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import {
  type ReceivedRequest,
  type VerifySigV4Options,
  verifySigV4,
} from '#app/editor-auth/verify-sigv4.ts';
import { sha256Hex } from '#core/editor/sha256-hash.ts';
import {
  HOST,
  KEY,
  REGION,
  SERVICE,
  SIGNED_AT,
  sdkSigned,
  type Unsigned,
  urlOf,
} from './sdk-signed.ts';

const MINUTE_MS = 60_000;

function options(overrides: Partial<VerifySigV4Options> = {}): VerifySigV4Options {
  return {
    credentials: (id) => (id === KEY.accessKeyId ? KEY.secretAccessKey : undefined),
    now: SIGNED_AT,
    region: REGION,
    service: SERVICE,
    ...overrides,
  };
}

const listSubscribers: Unsigned = {
  method: 'GET',
  path: '/editor/subscribers',
  query: { status: 'active', tag: ['night trains', 'kites & more'] },
};

const draftIssue: Unsigned = {
  method: 'POST',
  path: '/editor/issues',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ subject: 'Trains and kites', articleIds: ['night-trains'] }),
};

describe('verifySigV4, on requests signed by the AWS SDK signer', () => {
  it('accepts a GET with a query, and names the access key that signed it', async () => {
    const request = await sdkSigned(listSubscribers);

    expect(await verifySigV4(request, options())).toEqual({
      ok: true,
      accessKeyId: KEY.accessKeyId,
    });
  });

  it('accepts a POST with a JSON body, whose X-Amz-Content-SHA256 the signer set', async () => {
    const request = await sdkSigned(draftIssue);

    expect(request.headers.get('x-amz-content-sha256')).toBe(sha256Hex(request.body));
    expect(await verifySigV4(request, options())).toEqual({
      ok: true,
      accessKeyId: KEY.accessKeyId,
    });
  });

  it('accepts the get-vanilla request of the AWS SigV4 test suite, with its published signature', async () => {
    // From AWS's Signature Version 4 test suite: the request, the key pair, the answer.
    const request: ReceivedRequest = {
      method: 'GET',
      url: 'https://example.amazonaws.com/',
      headers: new Headers({
        host: 'example.amazonaws.com',
        'x-amz-date': '20150830T123600Z',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ' +
          'SignedHeaders=host;x-amz-date, ' +
          'Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
      }),
      body: new Uint8Array(0),
    };

    const verdict = await verifySigV4(request, {
      ...options(),
      now: new Date('2015-08-30T12:36:00Z'),
      region: 'us-east-1',
      service: 'service',
    });

    expect(verdict).toEqual({ ok: true, accessKeyId: 'AKIDEXAMPLE' });
  });
});

describe('verifySigV4 refuses a request changed after signing (403 signature-mismatch)', () => {
  const changes: Array<[string, Unsigned, (request: ReceivedRequest) => ReceivedRequest]> = [
    ['the method', listSubscribers, (r) => ({ ...r, method: 'DELETE' })],
    [
      'the path',
      draftIssue,
      (r) => ({ ...r, url: r.url.replace('/editor/issues', '/editor/subscribers') }),
    ],
    [
      'a query value',
      listSubscribers,
      (r) => ({
        ...r,
        url: urlOf('/editor/subscribers', { status: 'all', tag: ['night trains', 'kites & more'] }),
      }),
    ],
    ['an added query parameter', listSubscribers, (r) => ({ ...r, url: `${r.url}&forget=1` })],
    [
      'a signed header (content-type)',
      draftIssue,
      (r) => ({ ...r, headers: withHeader(r.headers, 'content-type', 'text/csv') }),
    ],
    [
      'the body, with its X-Amz-Content-SHA256 made anew to match',
      draftIssue,
      (r) => {
        const body = new TextEncoder().encode('{"subject":"Something else"}');
        return {
          ...r,
          body,
          headers: withHeader(r.headers, 'x-amz-content-sha256', sha256Hex(body)),
        };
      },
    ],
  ];

  it.each(changes)('%s', async (_what, unsigned, change) => {
    const request = change(await sdkSigned(unsigned));

    expect(await verifySigV4(request, options())).toMatchObject({
      ok: false,
      status: 403,
      code: 'signature-mismatch',
    });
  });

  it('refuses a body changed while its X-Amz-Content-SHA256 stays (403 body-mismatch)', async () => {
    const request = await sdkSigned(draftIssue);
    const changed = { ...request, body: new TextEncoder().encode('{"subject":"Something else"}') };

    expect(await verifySigV4(changed, options())).toMatchObject({
      ok: false,
      status: 403,
      code: 'body-mismatch',
    });
  });

  it('refuses a body changed when the signer sent no X-Amz-Content-SHA256 (403 signature-mismatch)', async () => {
    const unchanged = await sdkSigned(draftIssue, { applyChecksum: false });
    const changed = { ...unchanged, body: new TextEncoder().encode('{"subject":"Else"}') };

    expect(unchanged.headers.has('x-amz-content-sha256')).toBe(false);
    expect(await verifySigV4(unchanged, options())).toMatchObject({ ok: true });
    expect(await verifySigV4(changed, options())).toMatchObject({
      ok: false,
      status: 403,
      code: 'signature-mismatch',
    });
  });
});

describe('verifySigV4 and the signing time', () => {
  it('refuses a signature made 6 minutes before the server time (403 signature-expired)', async () => {
    const request = await sdkSigned(listSubscribers, {
      signingDate: new Date(SIGNED_AT.getTime() - 6 * MINUTE_MS),
    });

    expect(await verifySigV4(request, options())).toMatchObject({
      ok: false,
      status: 403,
      code: 'signature-expired',
    });
  });

  it('refuses a signature made 6 minutes after the server time (403 signature-expired)', async () => {
    const request = await sdkSigned(listSubscribers, {
      signingDate: new Date(SIGNED_AT.getTime() + 6 * MINUTE_MS),
    });

    expect(await verifySigV4(request, options())).toMatchObject({
      ok: false,
      status: 403,
      code: 'signature-expired',
    });
  });

  it('accepts a signature made 4 minutes before the server time', async () => {
    const request = await sdkSigned(listSubscribers, {
      signingDate: new Date(SIGNED_AT.getTime() - 4 * MINUTE_MS),
    });

    expect(await verifySigV4(request, options())).toEqual({
      ok: true,
      accessKeyId: KEY.accessKeyId,
    });
  });
});

describe('verifySigV4 and the signer', () => {
  it('refuses a key it does not know (403 unknown-key)', async () => {
    const request = await sdkSigned(listSubscribers, {
      credentials: { accessKeyId: 'AKIDSOMEONEELSE', secretAccessKey: KEY.secretAccessKey },
    });

    expect(await verifySigV4(request, options())).toMatchObject({
      ok: false,
      status: 403,
      code: 'unknown-key',
    });
  });

  it('refuses a known key signed with the wrong secret (403 signature-mismatch)', async () => {
    const request = await sdkSigned(draftIssue, {
      credentials: { accessKeyId: KEY.accessKeyId, secretAccessKey: 'not-the-secret' },
    });

    expect(await verifySigV4(request, options())).toMatchObject({
      ok: false,
      status: 403,
      code: 'signature-mismatch',
    });
  });

  it.each([
    ['another region', { region: 'us-east-1' }],
    ['another service', { service: 's3' }],
  ])('refuses a credential scope of %s (403 scope-mismatch)', async (_what, choice) => {
    const request = await sdkSigned(listSubscribers, choice);

    expect(await verifySigV4(request, options())).toMatchObject({
      ok: false,
      status: 403,
      code: 'scope-mismatch',
    });
  });

  it('refuses a signature that leaves host out (403 unsigned-header)', async () => {
    const request = await sdkSigned(listSubscribers, { unsignableHeaders: new Set(['host']) });

    expect(request.headers.get('authorization')).not.toContain('host;');
    expect(await verifySigV4(request, options())).toMatchObject({
      ok: false,
      status: 403,
      code: 'unsigned-header',
    });
  });
});

describe('verifySigV4 without a usable signature', () => {
  it('answers 401 unsigned when there is no Authorization header', async () => {
    const request = await sdkSigned(listSubscribers);
    request.headers.delete('authorization');

    expect(await verifySigV4(request, options())).toMatchObject({
      ok: false,
      status: 401,
      code: 'unsigned',
    });
  });

  it.each([
    ['another scheme', 'Bearer abc'],
    [
      'SigV4a',
      'AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20270406/eu-west-1/execute-api/aws4_request, SignedHeaders=host, Signature=00',
    ],
    [
      'a cut signature',
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20270406/eu-west-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc',
    ],
  ])('answers 401 unreadable-signature to %s', async (_what, authorization) => {
    const request = await sdkSigned(listSubscribers);
    request.headers.set('authorization', authorization);

    expect(await verifySigV4(request, options())).toMatchObject({
      ok: false,
      status: 401,
      code: 'unreadable-signature',
    });
  });

  it('answers 401 unreadable-signature when X-Amz-Date is not yyyymmddThhmmssZ', async () => {
    const request = await sdkSigned(listSubscribers);
    request.headers.set('x-amz-date', '2027-04-06T09:00:00Z');

    expect(await verifySigV4(request, options())).toMatchObject({
      ok: false,
      status: 401,
      code: 'unreadable-signature',
    });
  });

  it('refuses a presigned URL made by the SDK signer (401 presigned-url)', async () => {
    const signer = new SignatureV4({
      credentials: KEY,
      region: REGION,
      service: SERVICE,
      sha256: Sha256,
    });
    const presigned = await signer.presign(
      {
        method: 'GET',
        protocol: 'http:',
        hostname: '127.0.0.1',
        port: 8787,
        path: '/editor/issues',
        query: {},
        headers: { host: HOST },
      },
      { signingDate: SIGNED_AT, expiresIn: 300 },
    );
    const request: ReceivedRequest = {
      method: 'GET',
      url: urlOf('/editor/issues', presigned.query as Record<string, string>),
      headers: new Headers({ host: HOST }),
      body: new Uint8Array(0),
    };

    expect(await verifySigV4(request, options())).toMatchObject({
      ok: false,
      status: 401,
      code: 'presigned-url',
    });
  });

  it('never quotes the signature or the secret in its reasons', async () => {
    const request = await sdkSigned(draftIssue, {
      credentials: { accessKeyId: KEY.accessKeyId, secretAccessKey: 'not-the-secret' },
    });
    const signature = /Signature=([0-9a-f]+)/.exec(request.headers.get('authorization') ?? '')?.[1];

    const verdict = await verifySigV4(request, options());

    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(verdict)).not.toContain(signature);
    expect(JSON.stringify(verdict)).not.toContain('not-the-secret');
    expect(JSON.stringify(verdict)).not.toContain(KEY.secretAccessKey);
  });
});

function withHeader(headers: Headers, name: string, value: string): Headers {
  const copy = new Headers(headers);
  copy.set(name, value);
  return copy;
}
