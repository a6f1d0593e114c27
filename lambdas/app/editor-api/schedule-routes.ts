import { Hono } from 'hono';
import * as z from 'zod';
import { parseScheduleExpression } from '#core/schedule/parse-schedule-expression.ts';
import { scheduleRuns } from '#core/schedule/schedule-runs.ts';
import type { EditorApiDeps } from './editor-api-deps.ts';
import { readQuery } from './read-query.ts';
import { scheduleEntries } from './schedule-entries.ts';

/** How many runs of the recurring schedule are shown, as `newsletter schedule` shows them. */
export const RUNS_SHOWN = 5;

/** `GET /schedule`: what `newsletter schedule --json` prints. */
export function scheduleRoutes(deps: EditorApiDeps): Hono {
  const routes = new Hono();
  routes.get('/schedule', async (c) => {
    readQuery(c, z.strictObject({}));
    const { scheduleExpression: expression, scheduleTimeZone: timeZone } = deps.config;
    const rate = parseScheduleExpression(expression).kind === 'rate';
    const anchor = rate ? await deps.scheduleAnchor?.(expression, timeZone) : undefined;
    const runs = scheduleRuns(
      expression,
      timeZone,
      deps.issues.now(),
      RUNS_SHOWN,
      anchor ? { anchor } : {},
    );
    return c.json(scheduleEntries(runs, await deps.issues.issues.list(), timeZone));
  });
  return routes;
}
