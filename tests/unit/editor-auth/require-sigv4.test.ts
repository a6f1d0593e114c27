import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { signedFetch } from '#adapters/signed-fetch.ts';
import { requireSigV4 } from '#app/editor-auth/require-sigv4.ts';
import { signedActor } from '#app/editor-auth/signed-actor.ts';
import { localIamActor } from '#core/editor/local-iam-actor.ts';

const KEY = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const REGION = 'eu-west-1';
const BASE = 'http://127.0.0.1:8787';

/** An app with two routes behind `requireSigV4`, the lines it logged, and how often a route ran. */
function signedApp(maxBodyBytes?: number) {
  const lines: Record<string, unknown>[] = [];
  const reached: string[] = [];
  const app = new Hono();
  app.use(
    '/editor/*',
    requireSigV4({
      credentials: (id) => (id === KEY.accessKeyId ? KEY.secretAccessKey : undefined),
      region: REGION,
      service: 'execute-api',
      actorOf: localIamActor,
      log: (line) => lines.push(line),
      ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }),
    }),
  );
  app.get('/editor/who', (c) => {
    reached.push('who');
    return c.json({ actor: signedActor(c) });
  });
  app.post('/editor/echo', async (c) => {
    reached.push('echo');
    return c.json({ actor: signedActor(c), body: await c.req.json() });
  });
  app.get('/open', (c) => c.json({ actor: signedActor(c) }));
  app.onError((error, c) => c.json({ thrown: error.message }, 500));
  /** The request over the app, with the Host header fetch would write. */
  const toApp = (url: URL, init: RequestInit) => {
    const headers = new Headers(init.headers);
    headers.set('host', url.host);
    return Promise.resolve(app.request(url, { ...init, headers }));
  };
  const signed = (request: Request, secretAccessKey = KEY.secretAccessKey) =>
    signedFetch(request, {
      region: REGION,
      credentials: { accessKeyId: KEY.accessKeyId, secretAccessKey },
      fetch: toApp,
    });
  return { app, lines, reached, toApp, signed };
}

describe('requireSigV4', () => {
  it('lets a signed GET through, the route acting as iam:local/<access key id>', async () => {
    const { signed } = signedApp();

    const response = await signed(new Request(`${BASE}/editor/who?x=1`));

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ actor: 'iam:local/AKIDEXAMPLE' });
  });

  it('hands the checked body on: the route reads the JSON that was signed', async () => {
    const { signed } = signedApp();

    const response = await signed(
      new Request(`${BASE}/editor/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ subject: 'Trains and kites' }),
      }),
    );

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      actor: 'iam:local/AKIDEXAMPLE',
      body: { subject: 'Trains and kites' },
    });
  });

  it("answers an unsigned request 401 in the editor API's error format, with WWW-Authenticate, and runs no route", async () => {
    const { toApp, reached } = signedApp();

    const response = await toApp(new URL(`${BASE}/editor/who`), {});

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('AWS4-HMAC-SHA256');
    expect(await response.json()).toEqual({
      error: { code: 'unsigned', message: expect.any(String) },
    });
    expect(reached).toEqual([]);
  });

  it('answers a request signed with another secret 403 signature-mismatch, runs no route, and logs no key', async () => {
    const { signed, reached, lines } = signedApp();

    const response = await signed(
      new Request(`${BASE}/editor/echo`, { method: 'POST', body: '{}' }),
      'a-forged-secret',
    );

    expect(response.status).toBe(403);
    expect(response.headers.has('www-authenticate')).toBe(false);
    expect(await response.json()).toEqual({
      error: { code: 'signature-mismatch', message: expect.any(String) },
    });
    expect(reached).toEqual([]);
    expect(lines).toEqual([
      {
        level: 'warn',
        message: 'editor api request refused',
        status: 403,
        code: 'signature-mismatch',
        request: 'POST /editor/echo',
      },
    ]);
  });

  it('answers a body over maxBodyBytes 413 body-too-large before checking it', async () => {
    const { signed, reached } = signedApp(16);

    const response = await signed(
      new Request(`${BASE}/editor/echo`, { method: 'POST', body: 'x'.repeat(17) }),
    );

    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'body-too-large' } });
    expect(reached).toEqual([]);
  });

  it('gives no actor to a route outside it: signedActor throws', async () => {
    const { app } = signedApp();

    const response = await app.request(`${BASE}/open`);

    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      thrown: 'signedActor: this route is not behind requireSigV4',
    });
  });
});
