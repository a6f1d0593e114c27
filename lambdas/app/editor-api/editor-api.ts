import { type Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { withoutAddresses } from '#core/common/without-addresses.ts';
import { ApiError } from './api-error.ts';
import { apiErrorOf } from './api-error-of.ts';
import { articleRoutes } from './article-routes.ts';
import { auditChanges } from './audit-changes.ts';
import { auditRoutes } from './audit-routes.ts';
import type { EditorApiDeps } from './editor-api-deps.ts';
import { issueActionRoutes } from './issue-action-routes.ts';
import { issueRoutes } from './issue-routes.ts';
import { keyRoutes } from './key-routes.ts';
import { mediaUploadRoutes } from './media-upload-routes.ts';
import { previewRoutes } from './preview-routes.ts';
import { refuseCrossSite } from './refuse-cross-site.ts';
import { scheduleRoutes } from './schedule-routes.ts';
import { subscriberRoutes } from './subscriber-routes.ts';

/**
 * The editor API: one JSON router for the studio, which mounts it under `/api`, and for the
 * stack, which will mount it under `/editor` behind IAM (`app.route('/api', editorApi(deps))`).
 * Its routes are thin: each reads and checks its input with zod, asks `deps.actor` who acts,
 * and calls the core functions the matching CLI command calls. Refusals answer
 * `{ error: { code, message, field? } }` with the status `apiErrorOf` gives; any other error
 * answers 500 with a generic message and is logged without addresses. Every change (POST,
 * DELETE) is recorded in the audit trail (`auditChanges`). docs/editor-api.md describes every
 * route.
 */
export function editorApi(deps: EditorApiDeps): Hono {
  const api = new Hono();
  // First, so that a change refused by any later middleware is recorded too.
  api.use(auditChanges(deps));
  api.use(refuseCrossSite());
  api.route('/', previewRoutes(deps));
  api.route('/', articleRoutes(deps));
  api.route('/', mediaUploadRoutes(deps));
  api.route('/', subscriberRoutes(deps));
  api.route('/', issueRoutes(deps));
  api.route('/', issueActionRoutes(deps));
  api.route('/', scheduleRoutes(deps));
  api.route('/', auditRoutes(deps));
  api.route('/', keyRoutes(deps));
  api.all('*', () => {
    throw new ApiError(404, 'no-route', 'The editor API has no such route.');
  });
  api.onError((error, c) => answerError(deps, error, c));
  return api;
}

function answerError(deps: EditorApiDeps, error: Error, c: Context) {
  const known =
    apiErrorOf(error) ??
    (error instanceof HTTPException && error.status < 500
      ? new ApiError(error.status, 'http', error.message || 'The request was refused.')
      : undefined);
  if (known) {
    if (known.status >= 500) logFailure(deps, error, c);
    return c.json(known.body(), known.status);
  }
  logFailure(deps, error, c);
  const failure = new ApiError(
    500,
    'internal',
    'Something went wrong on our side; it is in the log. Try again, or look there.',
  );
  return c.json(failure.body(), 500);
}

/** A service's error text may quote an address: the log keeps none. */
function logFailure(deps: EditorApiDeps, error: Error, c: Context) {
  deps.log({
    level: 'error',
    message: 'editor api request failed',
    request: withoutAddresses(`${c.req.method} ${c.req.path}`),
    error: withoutAddresses(`${error.name}: ${error.message}`),
  });
}
