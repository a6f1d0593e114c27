import { type Context, Hono } from 'hono';
import * as z from 'zod';
import { addSubscriber } from '#core/subscribers/add-subscriber.ts';
import { parseEmailAddress, parseSubscriberName } from '#core/subscribers/email-address.ts';
import { forgetSubscriber } from '#core/subscribers/forget-subscriber.ts';
import { importSubscribers } from '#core/subscribers/import-subscribers.ts';
import { formatSubscriberCsv, parseSubscriberCsv } from '#core/subscribers/parse-subscriber-csv.ts';
import { unsubscribeSubscriber } from '#core/subscribers/unsubscribe.ts';
import { ApiError } from './api-error.ts';
import { bodyLimits } from './body-limits.ts';
import type { EditorApiDeps } from './editor-api-deps.ts';
import { limitBody } from './limit-body.ts';
import { readJson } from './read-json.ts';
import { readId } from './read-param.ts';
import { queryFlag, readQuery } from './read-query.ts';

/** Where consent came from, and how someone left, when the editor acts through this API. */
export const EDITOR_SOURCE = 'editor';

/** Entries an add takes at once; a list comes as CSV. */
const MAX_ADDED = 100;

const listQuery = z.strictObject({
  status: z.enum(['active', 'pending', 'unsubscribed', 'suppressed']).optional(),
});

const email = z.string().transform((value, context) => {
  const address = parseEmailAddress(value);
  if (address === undefined) {
    context.addIssue({ code: 'custom', message: 'is not a valid email address' });
    return z.NEVER;
  }
  return address;
});

const name = z.string().transform((value, context) => {
  const parsed = parseSubscriberName(value);
  if (!parsed.ok) {
    context.addIssue({ code: 'custom', message: parsed.message });
    return z.NEVER;
  }
  return parsed.name;
});

const addBody = z.strictObject({
  subscribers: z
    .array(z.strictObject({ email, name: name.optional() }))
    .min(1)
    .max(MAX_ADDED),
});

const importQuery = z.strictObject({ strict: queryFlag.optional(), confirm: queryFlag.optional() });

/**
 * `GET /subscribers`, `GET /subscribers/export`, `POST /subscribers` (JSON: add; CSV:
 * import), `DELETE /subscribers/:id`: what `subscribers list`, `export`, `add`, `import` and
 * `remove` do, through the same core functions. A subscriber is named by id, never by
 * address: addresses stay out of URLs, and so out of access logs.
 */
export function subscriberRoutes(deps: EditorApiDeps): Hono {
  const routes = new Hono();
  const { subscriptions } = deps;

  routes.get('/subscribers', async (c) => {
    const { status } = readQuery(c, listQuery);
    const all = await subscriptions.subscribers.list();
    return c.json(status ? all.filter((each) => each.status === status) : all);
  });

  routes.get('/subscribers/export', async (c) => {
    readQuery(c, z.strictObject({}));
    const csv = formatSubscriberCsv(await subscriptions.subscribers.list());
    c.header('content-disposition', 'attachment; filename="subscribers.csv"');
    return c.body(csv, 200, { 'content-type': 'text/csv; charset=utf-8' });
  });

  routes.post('/subscribers', limitBody(bodyLimits.subscribers), async (c) => {
    if (isCsv(c.req.header('content-type'))) return importCsv(c, deps);
    readQuery(c, z.strictObject({}));
    const body = await readJson(c, addBody);
    const added = [];
    for (const entry of body.subscribers) {
      const outcome = await addSubscriber(
        subscriptions,
        { email: entry.email, name: entry.name },
        { source: EDITOR_SOURCE },
      );
      added.push({
        subscriber: outcome.subscriber,
        created: outcome.created,
        ...(outcome.heldBy ? { heldBy: outcome.heldBy } : {}),
      });
    }
    return c.json(added);
  });

  routes.delete('/subscribers/:id', async (c) => {
    const id = readId(c);
    const { forget } = readQuery(c, z.strictObject({ forget: queryFlag.optional() }));
    const subscriber = await subscriptions.subscribers.get(id);
    if (!subscriber) {
      throw new ApiError(404, 'subscriber-not-found', `There is no subscriber ${id}.`);
    }
    if (forget) {
      const kept = await forgetSubscriber(subscriptions, subscriber);
      return c.json({ id, forgotten: true, kept: kept.reason });
    }
    await unsubscribeSubscriber(subscriptions, subscriber, EDITOR_SOURCE);
    const now = await subscriptions.subscribers.get(id);
    return c.json({ id, email: subscriber.email, status: now?.status });
  });

  return routes;
}

/**
 * `subscribers import`: every row checked, the good ones added (`importSubscribers`).
 * @throws ApiError 422 `csv-rows` with every bad row by line when nothing was imported
 *   because of them (`strict=1`, or no good row at all); 422 `not-utf8`
 */
async function importCsv(c: Context, deps: EditorApiDeps) {
  const options = readQuery(c, importQuery);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await c.req.arrayBuffer());
  } catch {
    throw new ApiError(422, 'not-utf8', 'The CSV is not UTF-8 text: save it as CSV UTF-8.');
  }
  const parsed = parseSubscriberCsv(text);
  const summary = await importSubscribers(deps.subscriptions, parsed, {
    strict: options.strict ?? false,
    confirm: options.confirm ?? false,
  });
  if (summary.errors.length > 0 && (summary.stopped || parsed.rows.length === 0)) {
    const count = summary.errors.length;
    throw new ApiError(
      422,
      'csv-rows',
      `${count === 1 ? 'A row' : `${count} rows`} of the CSV cannot be imported; nothing was imported.`,
      { details: summary.errors.map(({ line, message }) => ({ line, message })) },
    );
  }
  return c.json({ ...summary, ignoredColumns: parsed.ignoredColumns });
}

function isCsv(contentType: string | undefined): boolean {
  return /^text\/csv\s*(;|$)/i.test(contentType ?? '');
}
