import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { signedFetch } from '#adapters/signed-fetch.ts';
import { serveApp } from '#cli/serve-app.ts';

const KEY = { accessKeyId: 'LOCALKEY', secretAccessKey: 'local-secret' };
const BASE = 'http://127.0.0.1:8787';

/** serve's app over two stand-ins: a public app and an editor router that name themselves. */
function app() {
  const publicApp = new Hono();
  publicApp.get('*', (c) => c.text(`public ${c.req.path}`));
  publicApp.notFound((c) => c.text('public not found', 404));
  const editorApi = new Hono();
  editorApi.get('/issues', (c) => c.text(`editor ${c.req.path}`));
  const lines: Record<string, unknown>[] = [];
  const served = serveApp({
    publicApp,
    editorApi,
    credentials: KEY,
    region: 'us-east-1',
    log: (line) => lines.push(line),
  });
  const request = (url: string | URL, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('host', new URL(url).host);
    return Promise.resolve(served.fetch(new Request(url, { ...init, headers })));
  };
  return { request, lines };
}

describe("serveApp, newsletter serve's app", () => {
  it('serves the editor router under /editor to a request signed with the local key pair', async () => {
    const { request } = app();

    const response = await signedFetch(new Request(`${BASE}/editor/issues`), {
      region: 'us-east-1',
      credentials: KEY,
      fetch: request,
    });

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('editor /editor/issues');
  });

  it.each(['/editor', '/editor/issues', '/editor/no-such-route'])(
    'refuses an unsigned %s with 401',
    async (path) => {
      const { request } = app();

      const response = await request(`${BASE}${path}`);

      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: 'unsigned' } });
    },
  );

  it('refuses a request signed with another key pair with 403', async () => {
    const { request } = app();

    const response = await signedFetch(new Request(`${BASE}/editor/issues`), {
      region: 'us-east-1',
      credentials: { accessKeyId: 'OTHERKEY', secretAccessKey: 'local-secret' },
      fetch: request,
    });

    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 'unknown-key' } });
  });

  it.each(['/', '/health', '/editorial', '/issues/01K'])(
    'leaves %s to the public app, unsigned',
    async (path) => {
      const { request } = app();

      const response = await request(`${BASE}${path}`);

      expect(response.status).toBe(200);
      expect(await response.text()).toBe(`public ${path}`);
    },
  );
});
