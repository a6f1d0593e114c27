import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { LogLine } from '#core/common/log-line.ts';
import { withoutAddresses } from '#core/common/without-addresses.ts';
import type { MediaStore } from '#core/media/ports.ts';
import { type ArchiveRoutesDeps, archiveRoutes } from './archive-routes.ts';
import { mediaRoutes } from './media-routes.ts';
import { type SubscriptionRoutesDeps, subscriptionRoutes } from './subscription-routes.ts';

/** What the public routes need; each group of routes adds its own ports here. */
export interface PublicAppDeps {
  /** Subscribing, confirming, unsubscribing. */
  subscriptions: Omit<SubscriptionRoutesDeps, 'log'>;
  /** The web archive: issues and whole articles. */
  archive: ArchiveRoutesDeps;
  /**
   * The stored photos, served at `/media/<file>` (`newsletter serve`). Absent on AWS, where
   * CloudFront serves them from the bucket: `/media/…` is then a 404 like any unknown path.
   */
  media?: MediaStore;
  /** Where each subscription change and each failed request is logged (no address or token). */
  log: LogLine;
}

/**
 * The public HTTP app: served by `newsletter serve` locally and by the HTTP API on AWS.
 * Every route here is open to anyone (RFC 8058 forbids authorization on unsubscribe).
 */
export function createPublicApp(deps: PublicAppDeps): Hono {
  const app = new Hono();
  // A route's own value of one of these headers wins (the images' Cross-Origin-Resource-Policy).
  app.use(secureHeaders({ overwrite: false }));
  app.get('/health', (c) => c.text('ok'));
  app.route('/', subscriptionRoutes({ ...deps.subscriptions, log: deps.log }));
  app.route('/', archiveRoutes(deps.archive));
  if (deps.media) app.route('/', mediaRoutes(deps.media));
  app.notFound((c) => c.text('Not found', 404));
  app.onError((error, c) => {
    // A service's error text may quote the address it was given; logs keep none.
    deps.log({
      level: 'error',
      message: 'public app request failed',
      error: withoutAddresses(`${error.name}: ${error.message}`),
    });
    return c.text('Something went wrong on our side. Please try again later.', 500);
  });
  return app;
}
