import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { ApiError } from '#app/editor-api/api-error.ts';
import { apiErrorOf } from '#app/editor-api/api-error-of.ts';
import { mediaRoutes } from '#app/media-routes.ts';
import type { LogLine } from '#core/common/log-line.ts';
import { withoutAddresses } from '#core/common/without-addresses.ts';
import type { MediaStore } from '#core/media/ports.ts';
import { guardStudioRequests } from './guard-studio-requests.ts';
import type { IssueFeed } from './issue-feed.ts';
import { outboxRoutes } from './outbox-routes.ts';
import { studioContentSecurityPolicy } from './studio-content-security-policy.ts';
import type { StudioEvents } from './studio-events.ts';
import type { StudioAssets, StudioIndexOptions, StudioPage } from './studio-page.ts';
import { studioPageRoutes } from './studio-page-routes.ts';

/** What the studio's routes are made of. */
export interface StudioAppOptions {
  /** The port the studio listens on, once it does. */
  port(): number;
  token: string;
  page: StudioPage;
  assets: StudioAssets;
  /** What the page and the `ready` event are told (the page also gets the media base URL). */
  settings: Omit<StudioIndexOptions, 'token' | 'mediaBaseUrl'>;
  /**
   * Answers a request to the editor API, its path below `/api`: locally the router as the
   * configuration makes it now, on a deployed stack its API, signed.
   */
  api(request: Request): Response | Promise<Response>;
  /** Where the previews' photos are served from now (the CSP allows it). */
  mediaBaseUrl(): string;
  events: StudioEvents;
  feed: IssueFeed;
  /** The local SES's outbox folder; absent on AWS, which keeps no copy. */
  outboxDir?: string;
  /**
   * The stored photos, served at `/media/…` as `newsletter serve` serves them, so that the
   * preview shows them with the studio alone (the page points them here); absent on a
   * deployed stack, whose photos are on its media distribution.
   */
  media?: MediaStore;
  log: LogLine;
}

/**
 * The studio's HTTP routes: every request first passes `guardStudioRequests` (Host, Origin,
 * the token of changes); then the page (`/`, `/studio.js`, `/studio.css`), the event stream
 * (`/api/events`), the stored photos (`GET /media/<sha256>.jpg|png`, the public app's
 * `mediaRoutes`), the local outbox (`/outbox`) and the editor API under `/api`, as the
 * configuration makes it now. After a change to an issue made here, its report goes to the
 * event stream.
 */
export function studioApp(options: StudioAppOptions): Hono {
  const { events } = options;
  const app = new Hono();
  app.use(guardStudioRequests({ port: options.port, token: options.token }));
  app.route(
    '/',
    studioPageRoutes({
      page: options.page,
      assets: options.assets,
      index: () => ({
        token: options.token,
        ...options.settings,
        mediaBaseUrl: options.mediaBaseUrl(),
      }),
      contentSecurityPolicy: () => studioContentSecurityPolicy(options.mediaBaseUrl()),
    }),
  );
  app.get('/api/events', (c) => events.stream(c, options.settings));
  // GET (and HEAD, which Hono answers with GET's handler) only; the guard above ran first.
  if (options.media) app.route('/', mediaRoutes(options.media));
  if (options.outboxDir) app.route('/', outboxRoutes(options.outboxDir));
  app.use('/api/issues', announceIssueChanges(options.feed));
  app.use('/api/issues/*', announceIssueChanges(options.feed));
  app.mount('/api', (request) => options.api(request));
  app.notFound((c) =>
    c.json(new ApiError(404, 'no-route', 'The studio has no such page.').body(), 404),
  );
  app.onError((error, c) => answerError(options.log, error, c));
  return app;
}

/**
 * After a POST or DELETE on an issue that succeeded, its report goes to the event stream
 * (`IssueFeed.announce`): the issue of the path, or the draft the answer names.
 */
function announceIssueChanges(feed: IssueFeed): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if ((c.req.method !== 'POST' && c.req.method !== 'DELETE') || c.res.status >= 300) return;
    const inPath = /^\/api\/issues\/([^/]+)/.exec(c.req.path)?.[1];
    const issueId = inPath ?? (await answeredIssueId(c.res));
    if (issueId) feed.announce(issueId);
  };
}

async function answeredIssueId(response: Response): Promise<string | undefined> {
  if (!(response.headers.get('content-type') ?? '').startsWith('application/json')) {
    return undefined;
  }
  const body = (await response.clone().json()) as { issueId?: unknown };
  return typeof body.issueId === 'string' ? body.issueId : undefined;
}

/** A refusal in the editor API's format; anything else a 500, logged without addresses. */
function answerError(log: LogLine, error: Error, c: Context) {
  const known = apiErrorOf(error);
  if (known && known.status < 500) return c.json(known.body(), known.status);
  log({
    level: 'error',
    message: 'studio request failed',
    request: withoutAddresses(`${c.req.method} ${c.req.path}`),
    error: withoutAddresses(`${error.name}: ${error.message}`),
  });
  const failure = new ApiError(
    500,
    'internal',
    "Something went wrong on the studio's side; it is in its output. Try again, or look there.",
  );
  return c.json(failure.body(), 500);
}
