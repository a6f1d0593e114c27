import { Hono } from 'hono';
import * as z from 'zod';
import { parseAuditSince } from '#core/audit/parse-audit-since.ts';
import type { EditorApiDeps } from './editor-api-deps.ts';
import { readQuery } from './read-query.ts';

/** How many records `GET /audit` answers when the request names no `limit`. */
export const AUDIT_LIMIT = 100;

const auditQuery = z.strictObject({
  since: z
    .string()
    .max(64)
    .transform((text, context) => {
      try {
        return parseAuditSince(text);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    })
    .optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/** `GET /audit?since=TIME&limit=N`: the audit trail, newest first, as `newsletter audit --json`. */
export function auditRoutes(deps: EditorApiDeps): Hono {
  const routes = new Hono();
  routes.get('/audit', async (c) => {
    const query = readQuery(c, auditQuery);
    const records = await deps.audit.list({
      ...(query.since === undefined ? {} : { since: query.since }),
      limit: query.limit ?? AUDIT_LIMIT,
    });
    return c.json({ records });
  });
  return routes;
}
