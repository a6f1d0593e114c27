import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { handle } from 'hono/aws-lambda';
import { parse } from 'node-html-parser';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPublicApp } from '#app/public-app.ts';
import { addSubscriber } from '#core/subscribers/add-subscriber.ts';
import { signSubscriberToken } from '#core/subscribers/subscriber-token.ts';
import { MemoryMediaStore } from '../fakes/memory-media-store.ts';
import { publicAppDeps } from './public-app-deps.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

/** The app on in-memory ports, with every line it logs kept, and the console watched. */
function appWithLog(built = publicAppDeps()) {
  const app = createPublicApp(built.deps);
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
    vi.spyOn(console, method).mockImplementation(() => {}),
  );
  const consoleCalls = () => spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
  return { app, lines: built.lines, consoleCalls };
}

function subscribeRequest(email: string): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email }),
  };
}

/** What Hono's `secureHeaders` sends, and this app now over HTTPS only. */
const HSTS = 'max-age=15552000; includeSubDomains';

describe('createPublicApp', () => {
  it('answers 500 to a failure and logs it without the address the failing service quoted', async () => {
    const built = publicAppDeps();
    built.subscriptions.signups.addRequest = async () => {
      throw new Error('the store refused the item for ada@example.org');
    };
    const { app, lines, consoleCalls } = appWithLog(built);

    const response = await app.request('/subscribe', subscribeRequest('ada@example.org'));

    expect(response.status).toBe(500);
    expect(lines).toEqual([
      {
        level: 'error',
        message: 'public app request failed',
        error: 'Error: the store refused the item for [address]',
      },
    ]);
    expect(consoleCalls()).toBe(0);
  });

  it('logs each subscription outcome through the logger it is given, not the console', async () => {
    const built = publicAppDeps();
    await addSubscriber(built.subscriptions, { email: 'reader@example.org' }, { source: 'cli' });
    const { app, lines, consoleCalls } = appWithLog(built);

    const response = await app.request('/subscribe', subscribeRequest('reader@example.org'));

    expect(response.status).toBe(202);
    expect(lines).toEqual([{ route: 'subscribe', outcome: 'queued' }]);
    expect(consoleCalls()).toBe(0);
  });
});

describe('a method a path does not serve', () => {
  it.each([
    ['PUT', '/subscribe', 'GET, HEAD, POST'],
    ['DELETE', '/subscribe', 'GET, HEAD, POST'],
    ['PATCH', '/confirm?token=abc', 'GET, HEAD, POST'],
    ['PUT', '/unsubscribe?token=abc', 'GET, HEAD, POST'],
    ['OPTIONS', '/unsubscribe', 'GET, HEAD, POST'],
    ['POST', '/health', 'GET, HEAD'],
    ['POST', '/issues/01M8BDWP00R8Y3V5N7Q9T1W4BC', 'GET, HEAD'],
    ['DELETE', '/articles/harbour-at-dawn', 'GET, HEAD'],
  ])('%s %s answers 405, Allow: %s', async (method, path, allow) => {
    const app = createPublicApp(publicAppDeps().deps);

    const response = await app.request(path, { method });

    expect(response.status).toBe(405);
    expect(response.headers.get('Allow')).toBe(allow);
  });

  it('answers 405 on the photos too, when the app serves them', async () => {
    const app = createPublicApp(publicAppDeps({ media: new MemoryMediaStore() }).deps);

    const response = await app.request(`/media/${'a'.repeat(64)}.jpg`, { method: 'PUT' });

    expect(response.status).toBe(405);
    expect(response.headers.get('Allow')).toBe('GET, HEAD');
  });

  it('unsubscribes nobody through a working link asked with DELETE', async () => {
    const built = publicAppDeps();
    const { subscriber } = await addSubscriber(
      built.subscriptions,
      { email: 'reader@example.org' },
      { source: 'cli' },
    );
    const token = signSubscriberToken(
      built.subscriptions.linkKeys.keys.newest,
      subscriber.id,
      'unsubscribe',
    );
    const app = createPublicApp(built.deps);

    const response = await app.request(`/unsubscribe?token=${token}`, {
      method: 'DELETE',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });

    expect(response.status).toBe(405);
    expect(built.subscriptions.subscribers.items[0]?.status).toBe('active');
  });

  it('keeps the 404 of a path that has no route, whatever the method', async () => {
    const app = createPublicApp(publicAppDeps().deps);

    const response = await app.request('/no-such-page', { method: 'PUT' });

    expect(response.status).toBe(404);
    expect(response.headers.get('Allow')).toBeNull();
  });
});

describe('a path the app has no page for', () => {
  it('gets the 404 page in the list’s look and language, kept out of caches', async () => {
    const app = createPublicApp(publicAppDeps().deps);

    const response = await app.request('/no-such-page');

    expect(response.status).toBe(404);
    expect(response.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    const page = parse(await response.text());
    expect(page.querySelector('h1')?.text).toBe('Page not found');
    expect(page.querySelector('title')?.text).toBe('Page not found · The Weekly Slide');
    expect(page.querySelector('html')?.getAttribute('lang')).toBe('en');
    expect(page.querySelectorAll('script')).toHaveLength(0);
  });

  it('answers HEAD with the 404 and no body', async () => {
    const app = createPublicApp(publicAppDeps().deps);

    const response = await app.request('/no-such-page', { method: 'HEAD' });

    expect(response.status).toBe(404);
    expect(await response.text()).toBe('');
  });

  it('is the page the archive shows for an issue it does not have, but for its words', async () => {
    const app = createPublicApp(publicAppDeps().deps);

    const unknown = parse(await (await app.request('/no-such-page')).text());
    const issue = parse(await (await app.request('/issues/01M8BDWP00R8Y3V5N7Q9T1W4BC')).text());

    expect(issue.querySelector('h1')?.text).toBe('Issue not found');
    expect(unknown.querySelector('style')?.text).toBe(issue.querySelector('style')?.text);
    expect(unknown.querySelector('header')?.outerHTML).toBe(
      issue.querySelector('header')?.outerHTML,
    );
  });
});

describe('Strict-Transport-Security', () => {
  it.each([
    ['a page', 'GET', '/subscribe', 200],
    ['the 404 page', 'GET', '/no-such-page', 404],
    ['a refused method', 'PUT', '/subscribe', 405],
  ])('is sent with %s asked over HTTPS', async (_, method, path, status) => {
    const app = createPublicApp(publicAppDeps().deps);

    const response = await app.request(`https://news.example.com${path}`, { method });

    expect(response.status).toBe(status);
    expect(response.headers.get('Strict-Transport-Security')).toBe(HSTS);
  });

  it('is not sent over plain HTTP, even when a header claims HTTPS', async () => {
    const app = createPublicApp(publicAppDeps().deps);

    const plain = await app.request('http://127.0.0.1:8787/subscribe');
    const claimed = await app.request('http://127.0.0.1:8787/subscribe', {
      headers: { 'X-Forwarded-Proto': 'https', Forwarded: 'proto=https' },
    });

    expect(plain.headers.get('Strict-Transport-Security')).toBeNull();
    expect(claimed.headers.get('Strict-Transport-Security')).toBeNull();
    // The other security headers stay.
    expect(plain.headers.get('X-Content-Type-Options')).toBe('nosniff');
  });

  it('is sent behind API Gateway, whose requests the Lambda adapter makes https:', async () => {
    const handler = handle(createPublicApp(publicAppDeps().deps));
    const host = 'abc123.execute-api.eu-west-1.amazonaws.com';

    const result = await handler({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/health',
      rawQueryString: '',
      headers: { host },
      body: null,
      isBase64Encoded: false,
      requestContext: {
        accountId: '123456789012',
        apiId: 'abc123',
        authentication: null,
        authorizer: {},
        domainName: host,
        domainPrefix: 'abc123',
        http: {
          method: 'GET',
          path: '/health',
          protocol: 'HTTP/1.1',
          sourceIp: '203.0.113.7',
          userAgent: 'test',
        },
        requestId: 'request-1',
        routeKey: '$default',
        stage: '$default',
        time: '07/Mar/2025:08:00:00 +0000',
        timeEpoch: 1741334400000,
      },
    });

    expect(result.statusCode).toBe(200);
    expect(result.headers?.['strict-transport-security']).toBe(HSTS);
  });

  it('is not sent by the Node server of `newsletter serve`, which answers plain HTTP', async () => {
    const server = serve({
      fetch: createPublicApp(publicAppDeps().deps).fetch,
      hostname: '127.0.0.1',
      port: 0,
    });
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;

    const response = await fetch(`http://127.0.0.1:${port}/health`, {
      headers: { 'X-Forwarded-Proto': 'https' },
    });
    await new Promise((resolve) => server.close(resolve));

    expect(response.status).toBe(200);
    expect(response.headers.get('Strict-Transport-Security')).toBeNull();
  });
});
