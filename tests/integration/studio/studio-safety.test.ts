import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventStream, openEventStream } from './event-stream.ts';
import { fromPage, rawRequest, type StudioHarness, startStudioHarness } from './studio-harness.ts';

// What the studio refuses before any route runs, and what its page and event stream are.

let harness: StudioHarness;
let events: EventStream;

beforeAll(async () => {
  harness = await startStudioHarness();
  events = await openEventStream(harness.base);
});
afterAll(async () => {
  events?.close();
  await harness?.stop();
});

const subscriber = { subscribers: [{ email: 'reader1@example.com' }] };

describe('Host', () => {
  it('refuses a request whose Host is another name (DNS rebinding) with 403 unknown-host', async () => {
    const port = harness.studio.port;

    const rebound = await rawRequest(port, 'GET', '/api/articles', {
      host: `rebind.example.com:${port}`,
    });
    const otherPort = await rawRequest(port, 'GET', '/', { host: `127.0.0.1:${port + 1}` });

    for (const answer of [rebound, otherPort]) {
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.body).error.code).toBe('unknown-host');
    }
  });

  it('never serves a request without Host (Node refuses it with 400 before the studio sees it)', async () => {
    const none = await rawRequest(harness.studio.port, 'GET', '/', {});

    expect(none.status).toBe(400);
  });

  it('answers at 127.0.0.1:PORT and localhost:PORT', async () => {
    const port = harness.studio.port;

    const numeric = await rawRequest(port, 'GET', '/api/articles', { host: `127.0.0.1:${port}` });
    const named = await rawRequest(port, 'GET', '/api/articles', { host: `localhost:${port}` });

    expect([numeric.status, named.status]).toEqual([200, 200]);
  });
});

describe('Origin', () => {
  it("refuses a request whose Origin is another site's, a read too, with 403 cross-site", async () => {
    const port = harness.studio.port;
    const host = `127.0.0.1:${port}`;

    const read = await rawRequest(port, 'GET', '/api/subscribers', {
      host,
      origin: 'https://evil.example',
    });
    const change = await rawRequest(port, 'POST', '/api/issues', {
      host,
      origin: 'http://127.0.0.1:1',
      'x-studio-token': harness.studio.token,
    });
    const opaque = await rawRequest(port, 'GET', '/api/subscribers', { host, origin: 'null' });

    for (const answer of [read, change, opaque]) {
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.body).error.code).toBe('cross-site');
    }
  });

  it('takes a request whose Origin is its own', async () => {
    const port = harness.studio.port;

    const answer = await rawRequest(port, 'GET', '/api/subscribers', {
      host: `localhost:${port}`,
      origin: `http://localhost:${port}`,
    });

    expect(answer.status).toBe(200);
  });
});

describe('the token of changes', () => {
  it('refuses a POST without the token, or with another, with 403 studio-token, and adds nothing', async () => {
    const without = await fromPage(harness, 'POST', '/api/subscribers', {
      json: subscriber,
      token: null,
    });
    const wrong = await fromPage(harness, 'POST', '/api/subscribers', {
      json: subscriber,
      token: `${harness.studio.token.slice(0, -1)}x`,
    });
    const listed = await fromPage(harness, 'GET', '/api/subscribers');

    expect([without.status, without.body.error.code]).toEqual([403, 'studio-token']);
    expect([wrong.status, wrong.body.error.code]).toEqual([403, 'studio-token']);
    expect(listed.body).toEqual([]);
  });

  it('takes a POST with the token: the editor API adds the subscriber', async () => {
    const added = await fromPage(harness, 'POST', '/api/subscribers', { json: subscriber });
    const listed = await fromPage(harness, 'GET', '/api/subscribers');

    expect(added.status).toBe(200);
    expect(listed.body.map((each: { email: string }) => each.email)).toEqual([
      'reader1@example.com',
    ]);
  });

  it('refuses a DELETE without the token, and changes nothing', async () => {
    const [{ id }] = (await fromPage(harness, 'GET', '/api/subscribers')).body;

    const refused = await fromPage(harness, 'DELETE', `/api/subscribers/${id}`, { token: null });
    const listed = await fromPage(harness, 'GET', '/api/subscribers');

    expect([refused.status, refused.body.error.code]).toEqual([403, 'studio-token']);
    expect(listed.body[0].status).toBe('active');
  });

  it('refuses other methods than GET, HEAD, POST and DELETE with 405, token or not', async () => {
    const put = await fromPage(harness, 'PUT', '/api/subscribers', { json: subscriber });

    expect([put.status, put.body.error.code]).toEqual([405, 'method-not-allowed']);
  });
});

describe('the page', () => {
  it('serves its HTML with the token, never cached, under a Content-Security-Policy that loads scripts from the studio only', async () => {
    const page = await fromPage(harness, 'GET', '/');
    const policy = page.headers.get('content-security-policy') ?? '';

    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.body).toContain(`<meta name="studio-token" content="${harness.studio.token}">`);
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self';");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("img-src 'self' data: http://127.0.0.1:8787/media/");
  });

  it('serves the script and the stylesheet the page was built with', async () => {
    const script = await fromPage(harness, 'GET', '/studio.js');
    const style = await fromPage(harness, 'GET', '/studio.css');

    expect([script.status, script.headers.get('content-type')]).toEqual([
      200,
      'text/javascript; charset=utf-8',
    ]);
    expect(script.body).toBe('document.title = "test studio";');
    expect([style.status, style.headers.get('content-type')]).toEqual([
      200,
      'text/css; charset=utf-8',
    ]);
    expect(style.body).toBe('body { margin: 0; }');
  });

  it('answers an unknown path 404 no-route in the API format', async () => {
    const answer = await fromPage(harness, 'GET', '/nothing-here');

    expect([answer.status, answer.body.error.code]).toEqual([404, 'no-route']);
  });
});

describe('GET /api/events', () => {
  it('says ready first, with live reload on and the local target', async () => {
    const ready = await events.next('ready', () => true, { from: 0 });

    expect(events.received[0]?.event).toBe('ready');
    expect(ready).toEqual({ liveReload: true, target: 'local' });
  });
});
