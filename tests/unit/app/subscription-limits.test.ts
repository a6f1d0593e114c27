import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { subscriptionRoutes } from '#app/subscription-routes.ts';
import { addSubscriber } from '#core/subscribers/add-subscriber.ts';
import { sendDueConfirmations } from '#core/subscribers/send-due-confirmations.ts';
import { forbidAddressState, memorySubscriptionDeps } from '../fakes/memory-subscription-stores.ts';

const FORM = 'application/x-www-form-urlencoded';

function setup(limit = 3) {
  const deps = memorySubscriptionDeps();
  deps.config.subscribeIpPerHour = limit;
  const lines: Record<string, unknown>[] = [];
  const app = subscriptionRoutes({
    ...deps,
    hashKey: async () => deps.hashKey,
    log: (line) => lines.push(line),
  });
  return { deps, app, lines };
}

/** What API Gateway hands the app on Lambda (`c.env.event`), for a request from `ip`. */
function fromIp(ip: string) {
  return { event: { requestContext: { http: { sourceIp: ip } } } };
}

/** A sign-up as the form posts it, from `ip`, with optional extra headers and fields. */
function signUp(
  app: ReturnType<typeof setup>['app'],
  email: string,
  ip: string,
  options: { headers?: Record<string, string>; fields?: Record<string, string> } = {},
) {
  return app.request(
    '/subscribe',
    {
      method: 'POST',
      headers: { 'content-type': FORM, ...options.headers },
      body: new URLSearchParams({ email, ...options.fields }).toString(),
    },
    fromIp(ip),
  );
}

describe('sign-ups per network', () => {
  it('refuses a network past subscribeIpPerHour with 429, saying when to come back', async () => {
    const { app, deps } = setup(3);
    for (const n of [1, 2, 3]) {
      expect((await signUp(app, `reader${n}@example.org`, '203.0.113.7')).status).toBe(202);
    }

    const refused = await signUp(app, 'reader4@example.org', '203.0.113.7');

    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('3600');
    expect(refused.headers.get('cache-control')).toBe('no-store');
    const page = parse(await refused.text());
    expect(page.querySelector('h1')?.text).toBe('Please try again later');
    expect(page.querySelector('main p')?.text).toBe(
      'Too many sign-ups came from your network. Please try again in about 60 minutes.',
    );
    await sendDueConfirmations(deps);
    expect(deps.mailer.sent.map((message) => message.to).sort()).toEqual([
      'reader1@example.org',
      'reader2@example.org',
      'reader3@example.org',
    ]);
  });

  it('answers a JSON sign-up past the limit in JSON, with Retry-After counting down', async () => {
    const { app, deps } = setup(1);
    await signUp(app, 'reader1@example.org', '203.0.113.7');
    deps.clock.advance(45);

    const refused = await app.request(
      '/subscribe',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'reader2@example.org' }),
      },
      fromIp('203.0.113.7'),
    );

    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('900');
    expect(await refused.json()).toEqual({
      error: 'Too many sign-ups came from your network. Please try again in about 15 minutes.',
    });
  });

  it('takes sign-ups from the network again once its hour is over', async () => {
    const { app, deps } = setup(1);
    await signUp(app, 'reader1@example.org', '203.0.113.7');
    deps.clock.advance(59);
    const stillRefused = await signUp(app, 'reader2@example.org', '203.0.113.7');
    deps.clock.advance(1);

    const again = await signUp(app, 'reader2@example.org', '203.0.113.7');

    expect(stillRefused.status).toBe(429);
    expect(stillRefused.headers.get('retry-after')).toBe('60');
    expect(again.status).toBe(202);
  });

  it('counts each network apart, an IPv6 line by its /64', async () => {
    const { app } = setup(1);
    await signUp(app, 'reader1@example.org', '203.0.113.7');
    await signUp(app, 'reader2@example.org', '2001:db8:aa:1::1');

    const statuses = [
      (await signUp(app, 'reader3@example.org', '203.0.113.8')).status,
      (await signUp(app, 'reader4@example.org', '2001:db8:aa:1:ffff::9')).status,
      (await signUp(app, 'reader5@example.org', '2001:db8:aa:2::1')).status,
    ];

    expect(statuses).toEqual([202, 429, 202]);
  });

  it('takes the source from the connection, never from X-Forwarded-For or Forwarded', async () => {
    const { app } = setup(1);
    await signUp(app, 'reader1@example.org', '203.0.113.7');

    const spoofed = await signUp(app, 'reader2@example.org', '203.0.113.7', {
      headers: { 'x-forwarded-for': '198.51.100.1', forwarded: 'for=198.51.100.2' },
    });

    expect(spoofed.status).toBe(429);
  });

  it('keeps the counters under a keyed hash of the network, never the address itself', async () => {
    const { app, deps } = setup(3);
    await signUp(app, 'reader1@example.org', '203.0.113.7');
    await signUp(app, 'reader2@example.org', '2001:db8:aa:1::1');

    const kept = JSON.stringify([...deps.counters.items.entries()]);

    expect(deps.counters.items.size).toBe(2);
    for (const part of ['203.0.113', '2001:db8', 'db8:aa']) expect(kept).not.toContain(part);
  });

  it('does not count a sign-up refused for its address or its body', async () => {
    const { app } = setup(1);
    await signUp(app, 'not-an-address', '203.0.113.7');

    const valid = await signUp(app, 'reader@example.org', '203.0.113.7');

    expect(valid.status).toBe(202);
  });
});

describe('the honeypot field', () => {
  it('answers a filled trap exactly as a sign-up, and stores and mails nothing', async () => {
    const { app, deps, lines } = setup();

    const trapped = await signUp(app, 'victim@example.org', '203.0.113.7', {
      fields: { website: 'https://spam.example' },
    });
    const real = await signUp(app, 'reader@example.org', '203.0.113.8');
    await sendDueConfirmations(deps);

    expect(trapped.status).toBe(202);
    expect(await trapped.text()).toBe(await real.text());
    expect(deps.subscribers.items.map((subscriber) => subscriber.email)).toEqual([
      'reader@example.org',
    ]);
    expect(deps.mailer.sent.map((message) => message.to)).toEqual(['reader@example.org']);
    expect(lines).toContainEqual({ route: 'subscribe', outcome: 'honeypot' });
  });

  it('answers a trap filled through JSON as a sign-up too, and stores nothing', async () => {
    const { app, deps } = setup();

    const trapped = await app.request(
      '/subscribe',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'victim@example.org', website: 'x' }),
      },
      fromIp('203.0.113.7'),
    );

    expect(trapped.status).toBe(202);
    expect(await trapped.json()).toEqual({
      message:
        'If this address is not subscribed yet, an email with a link to confirm is on its way to it.',
    });
    expect(deps.signups.requests.size).toBe(0);
  });

  it('takes a sign-up whose trap was left empty, or holds only blanks', async () => {
    const { app, deps } = setup();

    await signUp(app, 'one@example.org', '203.0.113.7', { fields: { website: '' } });
    await signUp(app, 'two@example.org', '203.0.113.7', { fields: { website: '  ' } });
    await sendDueConfirmations(deps);

    expect(deps.mailer.sent.map((message) => message.to).sort()).toEqual([
      'one@example.org',
      'two@example.org',
    ]);
  });

  it('still counts a trapped sign-up against its network', async () => {
    const { app } = setup(1);
    await signUp(app, 'victim@example.org', '203.0.113.7', { fields: { website: 'x' } });

    const next = await signUp(app, 'reader@example.org', '203.0.113.7');

    expect(next.status).toBe(429);
  });
});

describe('the same answer, with the same work, whatever the address', () => {
  it('answers a sign-up without reading anything about the address', async () => {
    const { app, deps } = setup();
    await addSubscriber(deps, { email: 'reader@example.org' }, { source: 'cli' });
    forbidAddressState(deps);

    const answers = [];
    for (const email of ['new@example.org', 'reader@example.org']) {
      const response = await signUp(app, email, '203.0.113.7');
      answers.push({ status: response.status, body: await response.text() });
    }

    expect(answers[0]?.status).toBe(202);
    expect(answers[1]).toEqual(answers[0]);
    expect(deps.signups.requests.size).toBe(2);
  });
});
