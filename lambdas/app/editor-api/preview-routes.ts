import { Hono } from 'hono';
import * as z from 'zod';
import { parseScheduleTime } from '#core/schedule/parse-schedule-time.ts';
import type { EditorApiDeps } from './editor-api-deps.ts';
import { idSchema, timeSchema } from './input-schemas.ts';
import { invalid } from './parse-input.ts';
import { isPersonaName, personaNames } from './personas.ts';
import { type Preview, type PreviewAs, previewMessage } from './preview-message.ts';
import { readId } from './read-param.ts';
import { readQuery } from './read-query.ts';

const previewQuery = z.strictObject({
  issue: idSchema.optional(),
  at: timeSchema.optional(),
  as: z.string().max(80).optional(),
});

const subscriberPreviewQuery = previewQuery.omit({ as: true });

/**
 * `GET /preview?issue=ID&at=TIME&as=WHO`, a persona's or the public copy, and
 * `GET /subscribers/:id/preview?issue=ID&at=TIME`, a subscriber's: one recipient's message
 * (`previewMessage`). A subscriber's copy carries their name and their real unsubscribe link,
 * personal data: it has a route of its own under `/subscribers`, which on AWS needs the
 * `editor` role, where `/preview` needs only `viewer` (IAM cannot tell query strings apart).
 */
export function previewRoutes(deps: EditorApiDeps): Hono {
  const routes = new Hono();
  routes.get('/preview', async (c) => {
    const query = readQuery(c, previewQuery);
    return c.json(await preview(deps, query, previewAs(query.as)));
  });
  routes.get('/subscribers/:id/preview', async (c) => {
    const subscriberId = readId(c);
    const query = readQuery(c, subscriberPreviewQuery);
    return c.json(await preview(deps, query, { kind: 'subscriber', subscriberId }));
  });
  return routes;
}

async function preview(
  deps: EditorApiDeps,
  query: { issue?: string | undefined; at?: string | undefined },
  as: PreviewAs,
): Promise<Preview> {
  if (query.issue !== undefined && query.at !== undefined) {
    invalid('at', 'plans the next issue: leave it out to preview a stored issue');
  }
  const at =
    query.at === undefined ? undefined : parseScheduleTime(query.at, deps.config.scheduleTimeZone);
  return previewMessage(deps, {
    ...(query.issue === undefined ? {} : { issueId: query.issue }),
    ...(at === undefined ? {} : { at }),
    as,
  });
}

/**
 * `as`: `persona:none` (the default), `persona:long`, `persona:rtl`, or `public`. A subscriber's
 * id is refused, naming the route that previews a subscriber.
 */
function previewAs(value: string | undefined): PreviewAs {
  if (value === undefined) return { kind: 'persona', persona: 'none' };
  if (value === 'public') return { kind: 'public' };
  if (value.startsWith('persona:')) {
    const persona = value.slice('persona:'.length);
    if (isPersonaName(persona)) return { kind: 'persona', persona };
  } else if (idSchema.safeParse(value).success) {
    return invalid(
      'as',
      'cannot be a subscriber: preview a subscriber with GET /subscribers/:id/preview',
    );
  }
  return invalid(
    'as',
    `must be public, or one of ${personaNames.map((name) => `persona:${name}`).join(', ')}`,
  );
}
