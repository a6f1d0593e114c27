import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes, routePath } from 'hono/route';
import { editorRequestRecord, routeParams } from '#core/audit/editor-request-record.ts';
import { withoutAddresses } from '#core/common/without-addresses.ts';
import type { EditorApiDeps } from './editor-api-deps.ts';

const CHANGES = /^(POST|DELETE)$/;

/**
 * Records every change made through the editor API (each POST and DELETE that reached a
 * route, refused or not) in `deps.audit` once the route has answered: who (`deps.actor`), the
 * route as declared (`POST /issues/:id/pause`, below the mount), the target (`:id` or `:kid`,
 * or the `issueId` or `kid` of the answer: a draft's, a new key's), the time and the outcome
 * (the status and the error's code, or `dry-run` for an answer `{ dryRun: true }` that changed
 * nothing on purpose). A record that cannot be written is logged without addresses; the
 * answer stays as it was. Requests that reached no route (404 `no-route`) are not recorded.
 */
export function auditChanges(deps: EditorApiDeps): MiddlewareHandler {
  return async (c, next) => {
    // Where the router is mounted: this middleware's own path is `<mount>/*`.
    const mount = routePath(c).replace(/\/?\*$/, '');
    await next();
    if (!CHANGES.test(c.req.method)) return;
    const declared = matchedRoutes(c).findLast((route) => route.method === c.req.method);
    if (!declared) return;
    const route = declared.path.slice(mount.length) || '/';
    try {
      const answer = await answerFields(c);
      await deps.audit.record(
        editorRequestRecord({
          at: deps.issues.now(),
          id: deps.issues.newId(),
          actor: await deps.actor(c),
          method: c.req.method,
          route,
          params: routeParams(route, c.req.path),
          status: c.res.status,
          ...answer,
        }),
      );
    } catch (error) {
      deps.log({
        level: 'error',
        message: 'editor api: the audit record of a change was not written',
        action: `${c.req.method} ${route}`,
        status: c.res.status,
        error: withoutAddresses(
          error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        ),
      });
    }
  };
}

/**
 * The error code (or `dry-run`) and the `issueId` or `kid` a JSON answer names, read from a
 * copy of it.
 */
async function answerFields(c: Context): Promise<{ code?: string; answerId?: string }> {
  if (!c.res.headers.get('content-type')?.includes('application/json')) return {};
  const body: unknown = await c.res.clone().json();
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  const { error, issueId, kid, dryRun } = body as {
    error?: { code?: unknown };
    issueId?: unknown;
    kid?: unknown;
    dryRun?: unknown;
  };
  const code =
    typeof error?.code === 'string' ? error.code : dryRun === true ? 'dry-run' : undefined;
  const answerId =
    typeof issueId === 'string' ? issueId : typeof kid === 'string' ? kid : undefined;
  return {
    ...(code === undefined ? {} : { code }),
    ...(answerId === undefined ? {} : { answerId }),
  };
}
