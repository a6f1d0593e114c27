import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// package.json overrides `cookie` to 1.1.1: light-my-request (fastify's `inject`, under
// fauxqs) asks for cookie 2, which declares Node >= 22 and makes `npm install` warn
// EBADENGINE on Node 20. light-my-request calls one function of it, `stringifySetCookie`,
// which 1.1.1 has. This proves that call still works with the version installed.
const require = createRequire(import.meta.url);
const inject = require('light-my-request') as (
  handler: (req: { headers: Record<string, string> }, res: { end(body: string): void }) => void,
  options: { url: string; cookies: Record<string, string> },
) => Promise<{ body: string }>;

describe('the cookie override', () => {
  it('installs cookie 1.1.1, whose engines accept Node 20', () => {
    const manifest = require('cookie/package.json') as {
      version: string;
      engines: { node: string };
    };

    expect(manifest.version).toBe('1.1.1');
    expect(manifest.engines.node).toBe('>=18');
  });

  it("keeps light-my-request's request cookies working", async () => {
    const response = await inject((req, res) => res.end(req.headers.cookie ?? ''), {
      url: '/',
      cookies: { session: 'a b', theme: 'dark' },
    });

    expect(response.body).toBe('session=a%20b; theme=dark');
  });
});
