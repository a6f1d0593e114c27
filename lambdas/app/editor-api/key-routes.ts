import { type Context, Hono } from 'hono';
import * as z from 'zod';
import { listLinkKeys } from '#core/keys/list-link-keys.ts';
import { retireLinkKey } from '#core/keys/retire-link-key.ts';
import { rotateLinkKey } from '#core/keys/rotate-link-key.ts';
import { KID_PATTERN } from '#core/subscribers/link-keys.ts';
import { bodyLimits } from './body-limits.ts';
import type { EditorApiDeps } from './editor-api-deps.ts';
import { limitBody } from './limit-body.ts';
import { parseInput } from './parse-input.ts';
import { readJson } from './read-json.ts';
import { readQuery } from './read-query.ts';

const noQuery = z.strictObject({});
const noBody = z.strictObject({});
const retireBody = z.strictObject({ confirm: z.boolean().optional() });
const kidParam = z.object({
  kid: z.string().regex(KID_PATTERN, { message: 'is no key id: 1-12 of 0-9 a-z' }),
});

/**
 * The keys of subscriber links, for senders only (`editor-routes.ts`), as `newsletter keys`:
 * - `GET /keys`: the keys kept, newest first, never their bytes (`keys list --json`);
 * - `POST /keys`: a new key that signs every new link from now on, the others kept
 *   (`rotateLinkKey`): 201 `{ kid, kept }`;
 * - `POST /keys/:kid/retire`: with the body `{ "confirm": true }`, retires the key (links
 *   signed with it stop working) and answers what it broke; without it, only answers that
 *   estimate, `dryRun: true`, and changes nothing (`retireLinkKey`). Both 200.
 */
export function keyRoutes(deps: EditorApiDeps): Hono {
  const routes = new Hono();

  routes.get('/keys', async (c) => {
    readQuery(c, noQuery);
    return c.json({ keys: await listLinkKeys(deps.linkKeys) });
  });

  routes.post('/keys', limitBody(bodyLimits.action), async (c) => {
    readQuery(c, noQuery);
    await readJson(c, noBody);
    return c.json(await rotateLinkKey(deps.linkKeys, deps.issues.now()), 201);
  });

  routes.post('/keys/:kid/retire', limitBody(bodyLimits.action), async (c) => {
    const kid = readKid(c);
    readQuery(c, noQuery);
    const body = await readJson(c, retireBody);
    const retirement = await retireLinkKey(
      {
        linkKeys: deps.linkKeys,
        issues: deps.issues.issues,
        ledger: deps.issues.ledger,
        confirmLinkHours: deps.config.confirmLinkHours,
        now: () => deps.issues.now(),
      },
      kid,
      { dryRun: body.confirm !== true },
    );
    return c.json(retirement);
  });

  return routes;
}

/**
 * The key id of the path (`:kid`).
 * @throws ApiError 400 naming `kid` when it cannot be one
 */
function readKid(c: Context): string {
  return parseInput(kidParam, { kid: c.req.param('kid') }).kid;
}
