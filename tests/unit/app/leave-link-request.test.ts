import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { subscriptionRoutes } from '#app/subscription-routes.ts';
import { addSubscriber } from '#core/subscribers/add-subscriber.ts';
import { forbidAddressState, memorySubscriptionDeps } from '../fakes/memory-subscription-stores.ts';

// `/unsubscribe` without a token, where the archive's copies link: a form that queues a
// request for a link to leave, answered alike whatever the address.

const FORM = 'application/x-www-form-urlencoded';
const ON_ITS_WAY =
  'If this address is on the list, an email with a link to leave is on its way to it.';

async function setup(limit = 10) {
  const deps = memorySubscriptionDeps();
  deps.config.subscribeIpPerHour = limit;
  const lines: Record<string, unknown>[] = [];
  const app = subscriptionRoutes({
    ...deps,
    hashKey: async () => deps.hashKey,
    log: (line) => lines.push(line),
  });
  await addSubscriber(deps, { email: 'reader@example.org' }, { source: 'cli' });
  return { deps, app, lines };
}

/** What API Gateway hands the app on Lambda (`c.env.event`), for a request from `ip`. */
function fromIp(ip: string) {
  return { event: { requestContext: { http: { sourceIp: ip } } } };
}

/** The form of the page without a token, posted from `ip` with `fields`. */
function askForLink(
  app: Awaited<ReturnType<typeof setup>>['app'],
  fields: Record<string, string>,
  ip = '203.0.113.7',
  headers: Record<string, string> = {},
) {
  return app.request(
    '/unsubscribe',
    {
      method: 'POST',
      headers: { 'content-type': FORM, ...headers },
      body: new URLSearchParams(fields).toString(),
    },
    fromIp(ip),
  );
}

const queued = (deps: Awaited<ReturnType<typeof setup>>['deps']) => [
  ...deps.signups.requests.values(),
];

describe('GET /unsubscribe without a token', () => {
  it('shows a form for the address, with the sign-up form’s trap, that posts back to the page', async () => {
    const { app } = await setup();

    const response = await app.request('/unsubscribe');

    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const page = parse(await response.text());
    expect(page.querySelector('h1')?.text).toBe('Unsubscribe');
    expect(page.querySelector('main')?.text).toContain('if it is on the list, we will email it');
    const form = page.querySelector('form');
    expect(form?.getAttribute('method')).toBe('post');
    expect(form?.getAttribute('action')).toBeUndefined();
    expect(form?.querySelector('input[name="email"]')?.getAttribute('type')).toBe('email');
    expect(form?.querySelector('input[name="website"]')?.getAttribute('tabindex')).toBe('-1');
    expect(form?.querySelector('button')?.text).toBe('Email me a link to leave');
    for (const input of page.querySelectorAll('input:not([type="hidden"])')) {
      expect(page.querySelector(`label[for="${input.id}"]`)).not.toBeNull();
    }
  });

  it('still answers an empty token as a link that does not work', async () => {
    const { app } = await setup();

    const response = await app.request('/unsubscribe?token=');

    expect(response.status).toBe(400);
    expect(parse(await response.text()).querySelector('h1')?.text).toBe('This link does not work');
  });
});

describe('POST /unsubscribe without a token', () => {
  it('answers a subscriber and a stranger alike, 202 and the same page, and queues both', async () => {
    const { app, deps, lines } = await setup();

    const answers = [];
    for (const email of ['reader@example.org', 'stranger@example.org']) {
      const response = await askForLink(app, { email });
      answers.push({ status: response.status, body: await response.text() });
    }

    expect(answers[0]?.status).toBe(202);
    expect(answers[1]).toEqual(answers[0]);
    expect(parse(answers[0]?.body ?? '').querySelector('main p')?.text).toBe(ON_ITS_WAY);
    expect(queued(deps).map(({ kind, email }) => ({ kind, email }))).toEqual([
      { kind: 'leave-link', email: 'reader@example.org' },
      { kind: 'leave-link', email: 'stranger@example.org' },
    ]);
    expect(lines).toEqual([
      { route: 'leave-link', outcome: 'queued' },
      { route: 'leave-link', outcome: 'queued' },
    ]);
    // Nothing is mailed here: the confirmations job does it, within its budget.
    expect(deps.mailer.sent).toEqual([]);
  });

  it('reads nothing about the address, so nothing in the answer or its time can tell', async () => {
    const { app, deps } = await setup();
    forbidAddressState(deps);

    const statuses = [];
    for (const email of ['reader@example.org', 'stranger@example.org']) {
      statuses.push((await askForLink(app, { email })).status);
    }

    expect(statuses).toEqual([202, 202]);
    expect(queued(deps)).toHaveLength(2);
  });

  it('takes JSON too, and answers it in JSON', async () => {
    const { app, deps } = await setup();

    const response = await app.request(
      '/unsubscribe',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'reader@example.org' }),
      },
      fromIp('203.0.113.7'),
    );

    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ message: ON_ITS_WAY });
    expect(queued(deps)).toHaveLength(1);
  });

  it('is what the form sends, as a browser sends it', async () => {
    const { app, deps } = await setup();
    const url = 'http://localhost/unsubscribe';
    const form = parse(await (await app.request(url)).text()).querySelector('form');
    const fields = new URLSearchParams();
    for (const input of form?.querySelectorAll('input[name]') ?? []) {
      const name = input.getAttribute('name') ?? '';
      fields.append(
        name,
        name === 'email' ? 'reader@example.org' : (input.getAttribute('value') ?? ''),
      );
    }

    const response = await app.request(
      new URL(form?.getAttribute('action') ?? '', url).href,
      {
        method: form?.getAttribute('method') ?? 'get',
        headers: { 'content-type': FORM },
        body: fields.toString(),
      },
      fromIp('203.0.113.7'),
    );

    expect(response.status).toBe(202);
    expect(queued(deps).map((request) => request.email)).toEqual(['reader@example.org']);
  });

  it('gives the form back with 400 and what is wrong for an address that is not one', async () => {
    const { app, deps } = await setup(1);

    const refused = await askForLink(app, { email: 'not-an-address' });
    const next = await askForLink(app, { email: 'reader@example.org' });

    expect(refused.status).toBe(400);
    const page = parse(await refused.text());
    expect(page.querySelector('[role="alert"]')?.text).toBe('Please give a valid email address.');
    expect(page.querySelector('input[name="email"]')?.getAttribute('value')).toBe('not-an-address');
    // A refused address is not counted against the network.
    expect(next.status).toBe(202);
    expect(queued(deps)).toHaveLength(1);
  });

  it('answers a bad address in JSON with 400 and the error', async () => {
    const { app } = await setup();

    const response = await app.request('/unsubscribe', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'nope' }),
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'Please give a valid email address.' });
  });

  it('answers a filled trap as any request, queues nothing, and still counts it', async () => {
    const { app, deps, lines } = await setup(2);

    const trapped = await askForLink(app, { email: 'reader@example.org', website: 'x' });
    const real = await askForLink(app, { email: 'reader@example.org' });
    const third = await askForLink(app, { email: 'reader@example.org' });

    expect(trapped.status).toBe(202);
    expect(await trapped.text()).toBe(await real.text());
    expect(queued(deps)).toHaveLength(1);
    expect(lines).toContainEqual({ route: 'leave-link', outcome: 'honeypot' });
    expect(third.status).toBe(429);
  });

  it('refuses a network past subscribeIpPerHour with 429 and Retry-After, counted with its sign-ups', async () => {
    const { app, deps, lines } = await setup(2);
    const signUp = await app.request(
      '/subscribe',
      {
        method: 'POST',
        headers: { 'content-type': FORM },
        body: new URLSearchParams({ email: 'new@example.org' }).toString(),
      },
      fromIp('203.0.113.7'),
    );
    const first = await askForLink(app, { email: 'reader@example.org' });
    deps.clock.advance(20);

    const refused = await askForLink(app, { email: 'reader@example.org' });
    const otherNetwork = await askForLink(app, { email: 'reader@example.org' }, '198.51.100.4');

    expect([signUp.status, first.status]).toEqual([202, 202]);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('2400');
    const page = parse(await refused.text());
    expect(page.querySelector('h1')?.text).toBe('Please try again later');
    expect(page.querySelector('main p')?.text).toBe(
      'Too many requests came from your network. Please try again in about 40 minutes.',
    );
    expect(otherNetwork.status).toBe(202);
    expect(lines).toContainEqual({ route: 'leave-link', outcome: 'limited' });
    // The sign-up, the first request and the other network's: not the refused one.
    expect(queued(deps)).toHaveLength(3);
  });

  it('refuses a compressed body with 415 unread, and a body of another media type with 415', async () => {
    const { app, deps } = await setup();

    const encoded = await askForLink(app, { email: 'reader@example.org' }, undefined, {
      'content-encoding': 'gzip',
    });
    const plain = await app.request('/unsubscribe', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'email=reader@example.org',
    });

    expect(encoded.status).toBe(415);
    expect(encoded.headers.get('accept-encoding')).toBe('identity');
    expect(plain.status).toBe(415);
    expect(queued(deps)).toEqual([]);
  });

  it('refuses an oversized body with 413', async () => {
    const { app, deps } = await setup();

    const response = await askForLink(app, {
      email: 'reader@example.org',
      padding: 'y'.repeat(20_000),
    });

    expect(response.status).toBe(413);
    expect(queued(deps)).toEqual([]);
  });

  it('leaves a request with a token to the one-click unsubscribe: an email field unsubscribes nobody', async () => {
    const { app, deps } = await setup();

    const response = await app.request('/unsubscribe?token=forged', {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: new URLSearchParams({ email: 'reader@example.org' }).toString(),
    });

    expect(response.status).toBe(400);
    expect(queued(deps)).toEqual([]);
    expect(deps.subscribers.items[0]?.status).toBe('active');
  });
});
