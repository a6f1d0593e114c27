import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ArchiveRoutesDeps } from '#app/archive-routes.ts';
import { createPublicApp } from '#app/public-app.ts';
import { memorySubscriptionDeps } from '../fakes/memory-subscription-stores.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('createPublicApp', () => {
  it('answers 500 to a failure and logs it without the address the failing service quoted', async () => {
    const deps = memorySubscriptionDeps();
    deps.subscribers.add = async () => {
      throw new Error('the store refused the item for ada@example.org');
    };
    // The archive routes are not reached by this request.
    const app = createPublicApp({
      subscriptions: { ...deps, tokenKey: async () => deps.tokenKey },
      archive: {} as ArchiveRoutesDeps,
    });
    const lines: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      lines.push(args.join(' '));
    });

    const response = await app.request('/subscribe', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ada@example.org' }),
    });

    expect(response.status).toBe(500);
    expect(lines.join('\n')).toContain('the store refused the item for [address]');
    expect(lines.join('\n')).not.toContain('ada@example.org');
  });
});
