import { Hono } from 'hono';
import * as z from 'zod';
import { ApiError } from '#app/editor-api/api-error.ts';
import { readQuery } from '#app/editor-api/read-query.ts';
import { listOutboxMessages } from './list-outbox-messages.ts';
import { OUTBOX_ID } from './outbox-names.ts';
import { readOutboxMessage } from './read-outbox-message.ts';

const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
const noQuery = z.strictObject({});

/** How many messages `GET /outbox` lists unless asked for another number. */
const DEFAULT_LIMIT = 100;

/**
 * `GET /outbox` (`?limit=N`, default 100, at most 500): the messages the local SES accepted,
 * newest first, `[{ id, to, subject, at, tags }]`; `GET /outbox/:id`: one of them as a mail
 * client shows it, `{ id, headers, subject, from, to, html, text }`. Local only: on AWS, SES
 * keeps no copy. The folder is the local SES's (`<state>/outbox/`).
 */
export function outboxRoutes(outboxDir: string): Hono {
  const routes = new Hono();
  routes.get('/outbox', async (c) => {
    const { limit } = readQuery(c, listQuery);
    return c.json(await listOutboxMessages(outboxDir, limit ?? DEFAULT_LIMIT));
  });
  routes.get('/outbox/:id', async (c) => {
    readQuery(c, noQuery);
    const id = c.req.param('id');
    if (!OUTBOX_ID.test(id)) {
      throw new ApiError(400, 'invalid-input', 'id: not an outbox message id', { field: 'id' });
    }
    const message = await readOutboxMessage(outboxDir, id);
    if (!message) {
      throw new ApiError(404, 'message-not-found', `The outbox has no message ${id}.`);
    }
    return c.json(message);
  });
  return routes;
}
