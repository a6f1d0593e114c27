import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ArchiveRoutesDeps } from '#app/archive-routes.ts';
import { createPublicApp } from '#app/public-app.ts';
import { addSubscriber } from '#core/subscribers/add-subscriber.ts';
import { memorySubscriptionDeps } from '../fakes/memory-subscription-stores.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

/** The app on in-memory ports, with every line it logs kept, and the console watched. */
function appWithLog(deps = memorySubscriptionDeps()) {
  const lines: Record<string, unknown>[] = [];
  const app = createPublicApp({
    subscriptions: { ...deps, tokenKey: async () => deps.tokenKey },
    // The archive routes are not reached by these requests.
    archive: {} as ArchiveRoutesDeps,
    log: (line) => lines.push(line),
  });
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
    vi.spyOn(console, method).mockImplementation(() => {}),
  );
  const consoleCalls = () => spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
  return { app, lines, consoleCalls };
}

function subscribeRequest(email: string): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email }),
  };
}

describe('createPublicApp', () => {
  it('answers 500 to a failure and logs it without the address the failing service quoted', async () => {
    const deps = memorySubscriptionDeps();
    deps.subscribers.add = async () => {
      throw new Error('the store refused the item for ada@example.org');
    };
    const { app, lines, consoleCalls } = appWithLog(deps);

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
    const deps = memorySubscriptionDeps();
    await addSubscriber(deps, { email: 'reader@example.org' }, { source: 'cli' });
    const { app, lines, consoleCalls } = appWithLog(deps);

    const response = await app.request('/subscribe', subscribeRequest('reader@example.org'));

    expect(response.status).toBe(202);
    expect(lines).toEqual([{ route: 'subscribe', outcome: 'already-active' }]);
    expect(consoleCalls()).toBe(0);
  });
});
