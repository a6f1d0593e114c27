import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { LogLine } from '#core/common/log-line.ts';
import type { PageTemplates } from '#core/rendering/render-page.ts';
import type { SiteSettings } from '#core/rendering/template-data.ts';
import { admitSignup } from '#core/subscribers/admit-signup.ts';
import {
  confirmSubscription,
  previewConfirmation,
} from '#core/subscribers/confirm-subscription.ts';
import { parseEmailAddress, parseSubscriberName } from '#core/subscribers/email-address.ts';
import { requestLeaveLink } from '#core/subscribers/request-leave-link.ts';
import type { SignupDeps } from '#core/subscribers/signup-deps.ts';
import { subscribe } from '#core/subscribers/subscribe.ts';
import type { SubscriptionDeps } from '#core/subscribers/subscription-deps.ts';
import { previewUnsubscribe, unsubscribe } from '#core/subscribers/unsubscribe.ts';
import { checkOneClickBody } from './check-one-click-body.ts';
import { isEncodedBody } from './is-encoded-body.ts';
import { sourceAddress } from './source-address.ts';
import {
  CHECK_INBOX,
  LEAVE_LINK_ON_ITS_WAY,
  type Page,
  type SubscriptionPages,
  subscriptionPages,
} from './subscription-pages.ts';

/**
 * What the subscription routes need: the use cases' ports, with the hash key read on demand
 * (the link keys, `linkKeys`, are read when a link is checked). They
 * mail nothing: a sign-up is queued, and `sendDueConfirmations` mails its confirmation.
 */
export interface SubscriptionRoutesDeps
  extends Omit<SubscriptionDeps, 'hashKey' | 'config' | 'mailer' | 'confirmationTemplates'>,
    Pick<SignupDeps, 'signups' | 'counters'> {
  config: SubscriptionDeps['config'] & SignupDeps['config'];
  /**
   * The HMAC key of address and source hashes (Secrets Manager on AWS, a file of the state
   * folder locally), which never rotates.
   */
  hashKey(): Promise<Uint8Array>;
  /** The web pages' templates (see `loadPageTemplates`), asked for on each page: cache them there. */
  pageTemplates(): Promise<PageTemplates>;
  /** Where a line about each change goes (outcomes only: no address, token or id). */
  log?: LogLine;
}

/** Largest request body these routes read (bytes): a form with an address and a name. */
export const MAX_BODY_BYTES = 16 * 1024;
/** Longer than any token these routes sign, so never a real one. */
const MAX_TOKEN_LENGTH = 256;
/** The answer to a body sent compressed: these routes read bodies only as they are. */
const ENCODED_BODY = 'Send the body as it is: without a Content-Encoding, or with identity.';
/**
 * The sign-up form's trap for bots (`templates/pages/subscribe.html.hbs`, and so the form for a
 * link to leave, `leave-link-form.html.hbs`): a field people do not see and are told to leave
 * empty.
 */
export const HONEYPOT_FIELD = 'website';

/**
 * Public routes for joining and leaving the list:
 * - `GET /subscribe` a form; `POST /subscribe` (JSON, or a form: `email`, optional `name`)
 *   queues a double opt-in and answers the same, in the same time, whatever the address's
 *   state (it reads none). A network past `subscribeIpPerHour` sign-ups in the hour gets 429
 *   with `Retry-After`; a sign-up whose honeypot field is filled gets the answer of a
 *   success, and nothing is stored;
 * - `GET /confirm?token=` a page with a button; `POST /confirm?token=` confirms;
 * - `GET /unsubscribe?token=` a page with a button; `POST /unsubscribe?token=` is RFC 8058
 *   one-click: no cookie or authorization, 200 without a redirect, idempotent. Its body must
 *   be a form saying `List-Unsubscribe=One-Click` (`checkOneClickBody`), as the page's button
 *   and mail clients send it; anything else is refused and changes nothing.
 * - `GET /unsubscribe` without a token (where the archive's copies link) a form;
 *   `POST /unsubscribe` without a token (JSON, or a form: `email`) queues a request for a
 *   link to leave (`requestLeaveLink`), which is mailed if the address is on the list. Like a
 *   sign-up, it answers the same (202), in the same time, whatever the address (it reads
 *   none), counts against the network's `subscribeIpPerHour` (the sign-ups' counter: 429
 *   with `Retry-After` past it) and honours the honeypot field.
 * A GET never changes anything (link scanners follow links). A bad token gets a 4xx page and
 * changes nothing. A body with a `Content-Encoding` other than `identity` is refused with
 * 415 unread. The link of a test send (a token signed for `test`) gets the pages and
 * statuses a subscriber's link would, and changes nothing: the editor sees what readers see.
 */
export function subscriptionRoutes(deps: SubscriptionRoutesDeps): Hono {
  const app = new Hono();
  const site: SiteSettings = {
    listName: deps.config.listName,
    language: deps.config.language,
    publicBaseUrl: deps.config.publicBaseUrl,
  };
  const pages = async () => subscriptionPages(site, await deps.pageTemplates());
  const withKey = async () => ({ ...deps, hashKey: await deps.hashKey() });
  const log = (route: string, outcome: string) => deps.log?.({ route, outcome });
  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: async (c) =>
      send(c, (await pages()).problem(413, 'Request too large', 'That request is too large.')),
  });
  /**
   * A posted form's fields (JSON or a form), or the answer that refuses it: 415 for a body
   * with a `Content-Encoding` or of another media type, 400 for one that cannot be read.
   */
  const readPosted = async (
    c: Context,
    title: string,
  ): Promise<{ refused: Response } | { json: boolean; body: PostedFields }> => {
    const kind = mediaType(c);
    const json = kind === 'application/json';
    if (isEncodedBody(c.req.header('content-encoding'))) {
      refuseEncoding(c);
      return {
        refused: json
          ? sendJson(c, { error: ENCODED_BODY }, 415)
          : send(c, (await pages()).problem(415, title, ENCODED_BODY)),
      };
    }
    const body = await readPostedFields(c, kind);
    if (typeof body !== 'string') return { json, body };
    const status = kind === 'unsupported' ? 415 : 400;
    return {
      refused: json
        ? sendJson(c, { error: body }, 400)
        : send(c, (await pages()).problem(status, title, body)),
    };
  };
  /** 429 with `Retry-After`: the network's `what` (sign-ups, requests) are past its limit. */
  const tooMany = async (c: Context, json: boolean, what: string, retryAfterSeconds: number) => {
    c.header('Retry-After', String(retryAfterSeconds));
    const message = `Too many ${what} came from your network. Please try again ${inAbout(retryAfterSeconds)}.`;
    return json
      ? sendJson(c, { error: message }, 429)
      : send(c, (await pages()).problem(429, 'Please try again later', message));
  };
  app.get('/subscribe', async (c) => send(c, (await pages()).subscribeForm()));
  app.post('/subscribe', limit, async (c) => {
    const form = await readPosted(c, 'Cannot subscribe');
    if ('refused' in form) return form.refused;
    const { json, body } = form;
    const email = parseEmailAddress(body.email);
    const name = parseSubscriberName(body.name);
    const error = !email
      ? 'Please give a valid email address.'
      : !name.ok
        ? `Please check your name: ${name.message}.`
        : undefined;
    if (error || !email || !name.ok) {
      const given = { email: text(body.email), name: text(body.name) };
      return json
        ? sendJson(c, { error }, 400)
        : send(c, (await pages()).subscribeForm({ ...given, error: error ?? '' }));
    }
    const keyed = await withKey();
    const admission = await admitSignup(keyed, sourceAddress(c));
    if (!admission.admitted) {
      log('subscribe', 'limited');
      return tooMany(c, json, 'sign-ups', admission.retryAfterSeconds);
    }
    // A bot that filled the trap is answered as anyone else, so that it learns nothing to
    // get past it with; its sign-up goes nowhere.
    if (isFilled(body.trap)) {
      log('subscribe', 'honeypot');
    } else {
      await subscribe(keyed, { email, name: name.name });
      log('subscribe', 'queued');
    }
    return json
      ? sendJson(c, { message: CHECK_INBOX }, 202)
      : send(c, (await pages()).checkInbox());
  });

  app.get('/confirm', async (c) => {
    const token = tokenOf(c);
    if (!token) return send(c, badLink(await pages(), 'confirm'));
    const outcome = await previewConfirmation(await withKey(), token);
    const page = await pages();
    return send(c, outcome === 'ready' ? page.confirm() : confirmAnswer(page, outcome));
  });
  app.post('/confirm', limit, async (c) => {
    const token = tokenOf(c);
    if (!token) return send(c, badLink(await pages(), 'confirm'));
    const outcome = await confirmSubscription(await withKey(), token);
    log('confirm', outcome);
    return send(c, confirmAnswer(await pages(), outcome));
  });

  // `/unsubscribe` without a token: a link to leave, mailed to the address given if it is on
  // the list, under the limits of a sign-up.
  const requestLink = async (c: Context) => {
    const form = await readPosted(c, 'Cannot send a link');
    if ('refused' in form) return form.refused;
    const { json, body } = form;
    const email = parseEmailAddress(body.email);
    if (!email) {
      const error = 'Please give a valid email address.';
      return json
        ? sendJson(c, { error }, 400)
        : send(c, (await pages()).leaveLinkForm({ email: text(body.email), error }));
    }
    const admission = await admitSignup(await withKey(), sourceAddress(c));
    if (!admission.admitted) {
      log('leave-link', 'limited');
      return tooMany(c, json, 'requests', admission.retryAfterSeconds);
    }
    // As for a sign-up: a bot that filled the trap is answered as anyone else.
    if (isFilled(body.trap)) {
      log('leave-link', 'honeypot');
    } else {
      await requestLeaveLink(deps, { email });
      log('leave-link', 'queued');
    }
    return json
      ? sendJson(c, { message: LEAVE_LINK_ON_ITS_WAY }, 202)
      : send(c, (await pages()).leaveLinkOnItsWay());
  };

  app.get('/unsubscribe', async (c) => {
    if (c.req.query('token') === undefined) return send(c, (await pages()).leaveLinkForm());
    const token = tokenOf(c);
    if (!token) return send(c, badLink(await pages(), 'unsubscribe'));
    const outcome = await previewUnsubscribe(await withKey(), token);
    const page = await pages();
    if (outcome === 'invalid') return send(c, badLink(page, 'unsubscribe'));
    // A test send's link shows what a subscriber's would: the button.
    const mailable = outcome === 'ready' || outcome === 'test';
    return send(c, mailable ? page.unsubscribe() : page.unsubscribed());
  });
  app.post('/unsubscribe', limit, async (c) => {
    if (c.req.query('token') === undefined) return requestLink(c);
    const token = tokenOf(c);
    if (!token) return send(c, badLink(await pages(), 'unsubscribe'));
    if (isEncodedBody(c.req.header('content-encoding'))) {
      refuseEncoding(c);
      return send(c, (await pages()).problem(415, 'Cannot unsubscribe', ENCODED_BODY));
    }
    const refusal = await checkOneClickBody(c);
    if (refusal) {
      return send(
        c,
        (await pages()).problem(refusal.status, 'Cannot unsubscribe', refusal.message),
      );
    }
    const outcome = await unsubscribe(await withKey(), token);
    log('unsubscribe', outcome);
    if (outcome === 'invalid') return send(c, badLink(await pages(), 'unsubscribe'));
    return send(c, (await pages()).unsubscribed());
  });
  return app;
}

/**
 * Headers of every answer here, set per route: middleware on this sub-app would reach the
 * other routes of the app it is mounted in.
 */
function protect(c: Context): void {
  // Pages carry personal links: keep them out of caches and search engines.
  c.header('Cache-Control', 'no-store');
  c.header('X-Robots-Tag', 'noindex');
  c.header(
    'Content-Security-Policy',
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  );
}

function send(c: Context, page: Page) {
  protect(c);
  return c.html(page.html, page.status);
}

/** Says which coding a request body may have: none (RFC 9110, section 12.5.3). */
function refuseEncoding(c: Context): void {
  c.header('Accept-Encoding', 'identity');
}

function sendJson(c: Context, body: Record<string, unknown>, status: 202 | 400 | 415 | 429) {
  protect(c);
  return c.json(body, status);
}

function badLink(pages: SubscriptionPages, purpose: 'confirm' | 'unsubscribe'): Page {
  return purpose === 'confirm'
    ? pages.problem(
        400,
        'This link does not work',
        'This confirmation link is incomplete or was changed. Open it again from the email, or subscribe again.',
      )
    : pages.problem(
        400,
        'This link does not work',
        'This unsubscribe link is incomplete or was changed. Use the unsubscribe link at the foot of one of your own emails.',
      );
}

function confirmAnswer(
  pages: SubscriptionPages,
  outcome: Awaited<ReturnType<typeof confirmSubscription>>,
): Page {
  switch (outcome) {
    case 'ready':
    case 'confirmed':
    case 'already-confirmed':
      return pages.subscribed();
    case 'expired':
      return pages.problem(
        410,
        'This link has expired',
        'Confirmation links work for a limited time. Subscribe again to get a new one.',
      );
    case 'used':
      return pages.problem(
        410,
        'This link no longer works',
        'It was replaced or its subscription has ended. Subscribe again to get a new link.',
      );
    case 'invalid':
      return badLink(pages, 'confirm');
  }
}

/** The token from the query, or undefined when absent or too long to be one. */
function tokenOf(c: Context): string | undefined {
  const token = c.req.query('token');
  return token && token.length <= MAX_TOKEN_LENGTH ? token : undefined;
}

type MediaKind =
  | 'application/json'
  | 'application/x-www-form-urlencoded'
  | 'multipart/form-data'
  | 'none'
  | 'unsupported';

function mediaType(c: Context): MediaKind {
  const header = c.req.header('content-type');
  if (!header) return 'none';
  const type = header.split(';')[0]?.trim().toLowerCase();
  return type === 'application/json' ||
    type === 'application/x-www-form-urlencoded' ||
    type === 'multipart/form-data'
    ? type
    : 'unsupported';
}

/** The fields the sign-up and leave-link forms post, as sent: `trap` is the honeypot's. */
interface PostedFields {
  email?: unknown;
  name?: unknown;
  trap?: unknown;
}

/** The fields of a posted form, or what is wrong with the body. */
async function readPostedFields(c: Context, kind: MediaKind): Promise<PostedFields | string> {
  if (kind === 'application/json') {
    let value: unknown;
    try {
      value = await c.req.json();
    } catch {
      return 'The body is not valid JSON.';
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return 'The body must be a JSON object with "email".';
    }
    const { email, name, [HONEYPOT_FIELD]: trap } = value as Record<string, unknown>;
    return { email, name, trap };
  }
  if (kind === 'application/x-www-form-urlencoded' || kind === 'multipart/form-data') {
    const form = await readForm(c);
    if (!form) return 'The body could not be read as a form.';
    return { email: form.email, name: form.name, trap: form[HONEYPOT_FIELD] };
  }
  return kind === 'none'
    ? 'Send the address as a form or as JSON, in a field called "email".'
    : 'Send the address as a form (application/x-www-form-urlencoded or multipart/form-data) or as JSON.';
}

/** The form's text fields (the last value of each), or undefined when it is malformed. */
async function readForm(c: Context): Promise<Record<string, string | undefined> | undefined> {
  try {
    const parsed = await c.req.parseBody({ all: true });
    const fields: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(parsed)) {
      const last = Array.isArray(value) ? value[value.length - 1] : value;
      fields[name] = typeof last === 'string' ? last : undefined;
    }
    return fields;
  } catch {
    return undefined;
  }
}

/** True when a field holds anything but blanks: what no person leaves in the trap. */
function isFilled(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  return typeof value !== 'string' || value.trim() !== '';
}

/** `in about 40 minutes`, `in a minute`: when a refused network may sign up again. */
function inAbout(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return minutes <= 1 ? 'in a minute' : `in about ${minutes} minutes`;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, 300) : '';
}
