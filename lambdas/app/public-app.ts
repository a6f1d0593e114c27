import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/** What the public routes need; each group of routes adds its own ports here. */
export type PublicAppDeps = Record<string, never>;

/**
 * The public HTTP app: served by `newsletter serve` locally and by the HTTP API on AWS.
 * Every route here is open to anyone (RFC 8058 forbids authorization on unsubscribe).
 */
export function createPublicApp(_deps: PublicAppDeps): Hono {
  const app = new Hono();
  app.use(secureHeaders());
  app.get('/health', (c) => c.text('ok'));
  app.notFound((c) => c.text('Not found', 404));
  app.onError((error, c) => {
    console.error(`public app: ${error.name}: ${error.message}`);
    return c.text('Something went wrong on our side. Please try again later.', 500);
  });
  return app;
}
