import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { LogLine } from '#core/common/log-line.ts';
import { withoutAddresses } from '#core/common/without-addresses.ts';
import type { MediaStore } from '#core/media/ports.ts';
import { answerOtherMethods } from './answer-other-methods.ts';
import { type ArchiveRoutesDeps, archiveRoutes } from './archive-routes.ts';
import { mediaRoutes } from './media-routes.ts';
import { sendNotFoundPage } from './send-not-found-page.ts';
import { strictTransportSecurity } from './strict-transport-security.ts';
import { type SubscriptionRoutesDeps, subscriptionRoutes } from './subscription-routes.ts';

/** What the public routes need; each group of routes adds its own ports here. */
export interface PublicAppDeps {
  /** Subscribing, confirming, unsubscribing. */
  subscriptions: Omit<SubscriptionRoutesDeps, 'log'>;
  /** The web archive: issues and whole articles; its templates and site make every 404 page. */
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
 * A path it has no route for gets the 404 page; a method a path does not serve gets 405
 * with `Allow`. `Strict-Transport-Security` goes only with answers to HTTPS requests.
 */
export function createPublicApp(deps: PublicAppDeps): Hono {
  const app = new Hono();
  // A route's own value of one of these headers wins (the images' Cross-Origin-Resource-Policy).
  // HSTS is left to `strictTransportSecurity`, which sends it over HTTPS only.
  app.use(secureHeaders({ overwrite: false, strictTransportSecurity: false }));
  app.use(strictTransportSecurity());
  app.get('/health', (c) => c.text('ok'));
  app.route('/', subscriptionRoutes({ ...deps.subscriptions, log: deps.log }));
  app.route('/', archiveRoutes(deps.archive));
  if (deps.media) app.route('/', mediaRoutes(deps.media));
  answerOtherMethods(app);
  // Also what a route's `c.notFound()` answers (a photo the store does not have).
  app.notFound((c) =>
    sendNotFoundPage(c, deps.archive, {
      title: 'Page not found',
      detail: 'There is nothing at this address. Check the link you followed.',
    }),
  );
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
