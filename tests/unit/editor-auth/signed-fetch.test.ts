import { afterEach, describe, expect, it, vi } from 'vitest';
import { signedFetch } from '#adapters/signed-fetch.ts';
import { verifySigV4 } from '#app/editor-auth/verify-sigv4.ts';

const KEY = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const NOW = new Date('2027-04-06T09:00:00Z');

/** What `signedFetch` handed to fetch. */
interface Sent {
  url: URL;
  init: RequestInit;
}

/**
 * Signs `request` with `signedFetch`, keeping what it would send instead of sending it;
 * with `KEY`, or with no credentials given (`'chain'`).
 */
async function capture(request: Request, credentials: typeof KEY | 'chain' = KEY) {
  const sent: Sent[] = [];
  const response = await signedFetch(request, {
    region: 'eu-west-1',
    ...(credentials === 'chain' ? {} : { credentials }),
    now: () => NOW,
    fetch: async (url, init) => {
      sent.push({ url, init });
      return new Response('sent');
    },
  });
  expect(await response.text()).toBe('sent');
  expect(sent).toHaveLength(1);
  return sent[0] as Sent;
}

/** The request as the server receives it: the Host fetch writes from the URL, the headers, the body. */
function received({ url, init }: Sent) {
  const headers = new Headers(init.headers);
  headers.set('host', url.host);
  const body = init.body === undefined ? new Uint8Array(0) : (init.body as Uint8Array);
  return { method: init.method ?? 'GET', url: url.href, headers, body };
}

const verifyOptions = {
  credentials: (id: string) => (id === KEY.accessKeyId ? KEY.secretAccessKey : undefined),
  now: NOW,
  region: 'eu-west-1',
  service: 'execute-api',
};

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('signedFetch', () => {
  it('sends a GET with a query that verifySigV4 accepts, scoped to execute-api in the region', async () => {
    const sent = await capture(
      new Request(
        'http://127.0.0.1:8787/editor/subscribers?status=active&tag=night+trains&tag=a%2Bb',
      ),
    );

    expect(new Headers(sent.init.headers).get('authorization')).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20270406\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
    expect(await verifySigV4(received(sent), verifyOptions)).toEqual({
      ok: true,
      accessKeyId: KEY.accessKeyId,
    });
  });

  it('sends the query encoded as it was signed: a space as %20, a plus as %2B', async () => {
    const sent = await capture(
      new Request('http://127.0.0.1:8787/editor/subscribers?tag=night+trains&tag=a%2Bb'),
    );

    expect(sent.url.search).toBe('?tag=night%20trains&tag=a%2Bb');
  });

  it('sends a POST whose JSON body and content type are signed, and verifySigV4 accepts it', async () => {
    const sent = await capture(
      new Request('http://127.0.0.1:8787/editor/issues', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ subject: 'Trains and kites' }),
      }),
    );

    expect(new TextDecoder().decode(sent.init.body as Uint8Array)).toBe(
      '{"subject":"Trains and kites"}',
    );
    expect(new Headers(sent.init.headers).get('authorization')).toContain(
      'SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date,',
    );
    expect(await verifySigV4(received(sent), verifyOptions)).toEqual({
      ok: true,
      accessKeyId: KEY.accessKeyId,
    });
  });

  it('leaves Host for fetch to write from the URL', async () => {
    const sent = await capture(new Request('http://127.0.0.1:8787/editor/issues'));

    expect(new Headers(sent.init.headers).has('host')).toBe(false);
  });

  it('signs with the SDK provider chain when given no credentials: here the environment', async () => {
    vi.stubEnv('AWS_PROFILE', undefined);
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDFROMENVIRONMENT');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret-from-environment');
    vi.stubEnv('AWS_SESSION_TOKEN', undefined);

    const sent = await capture(new Request('http://127.0.0.1:8787/editor/issues'), 'chain');

    expect(new Headers(sent.init.headers).get('authorization')).toContain(
      'Credential=AKIDFROMENVIRONMENT/20270406/eu-west-1/execute-api/aws4_request',
    );
    const verdict = await verifySigV4(received(sent), {
      ...verifyOptions,
      credentials: (id) => (id === 'AKIDFROMENVIRONMENT' ? 'secret-from-environment' : undefined),
    });
    expect(verdict).toEqual({ ok: true, accessKeyId: 'AKIDFROMENVIRONMENT' });
  });
});
