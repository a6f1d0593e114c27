import { Hono } from 'hono';
import * as z from 'zod';
import { parseScheduleTime } from '#core/schedule/parse-schedule-time.ts';
import type { EditorApiDeps } from './editor-api-deps.ts';
import { idSchema, timeSchema } from './input-schemas.ts';
import { invalid } from './parse-input.ts';
import { isPersonaName, personaNames } from './personas.ts';
import { type PreviewAs, previewMessage } from './preview-message.ts';
import { readQuery } from './read-query.ts';

const previewQuery = z.strictObject({
  issue: idSchema.optional(),
  at: timeSchema.optional(),
  as: z.string().max(80).optional(),
});

/** `GET /preview?issue=ID&at=TIME&as=WHO`: one recipient's message (`previewMessage`). */
export function previewRoutes(deps: EditorApiDeps): Hono {
  const routes = new Hono();
  routes.get('/preview', async (c) => {
    const query = readQuery(c, previewQuery);
    if (query.issue !== undefined && query.at !== undefined) {
      invalid('at', 'plans the next issue: leave it out to preview a stored issue');
    }
    const at =
      query.at === undefined
        ? undefined
        : parseScheduleTime(query.at, deps.config.scheduleTimeZone);
    const preview = await previewMessage(deps, {
      ...(query.issue === undefined ? {} : { issueId: query.issue }),
      ...(at === undefined ? {} : { at }),
      as: previewAs(query.as),
    });
    return c.json(preview);
  });
  return routes;
}

/** `as`: `persona:none` (the default), `persona:long`, `persona:rtl`, `public`, or a subscriber id. */
function previewAs(value: string | undefined): PreviewAs {
  if (value === undefined) return { kind: 'persona', persona: 'none' };
  if (value === 'public') return { kind: 'public' };
  if (value.startsWith('persona:')) {
    const persona = value.slice('persona:'.length);
    if (isPersonaName(persona)) return { kind: 'persona', persona };
  } else if (idSchema.safeParse(value).success) {
    return { kind: 'subscriber', subscriberId: value };
  }
  return invalid(
    'as',
    `must be a subscriber id, public, or one of ${personaNames.map((name) => `persona:${name}`).join(', ')}`,
  );
}
