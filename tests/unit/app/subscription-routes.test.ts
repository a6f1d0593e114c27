import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { subscriptionRoutes } from '#app/subscription-routes.ts';
import { TEST_TOKEN_SUBJECT } from '#core/issues/test-send.ts';
import { addSubscriber } from '#core/subscribers/add-subscriber.ts';
import { FIRST_KID } from '#core/subscribers/link-keys.ts';
import { sendDueConfirmations } from '#core/subscribers/send-due-confirmations.ts';
import { signSubscriberToken } from '#core/subscribers/subscriber-token.ts';
import { memorySubscriptionDeps } from '../fakes/memory-subscription-stores.ts';

const ONE_CLICK = 'List-Unsubscribe=One-Click';
const FORM = 'application/x-www-form-urlencoded';

async function setup() {
  const deps = memorySubscriptionDeps();
  const app = subscriptionRoutes({ ...deps, hashKey: async () => deps.hashKey });
  const { subscriber } = await addSubscriber(
    deps,
    { email: 'reader@example.org' },
    { source: 'cli' },
  );
  const token = signSubscriberToken(deps.linkKeys.keys.newest, subscriber.id, 'unsubscribe', {
    issueId: '01JISSUE000000000000000000',
  });
  return { deps, app, subscriber, token, status: () => deps.subscribers.items[0]?.status };
}

function oneClick(token: string, init: RequestInit = {}): Request {
  return new Request(`http://localhost/unsubscribe?token=${encodeURIComponent(token)}`, {
    method: 'POST',
    headers: { 'content-type': FORM },
    body: ONE_CLICK,
    ...init,
  });
}

describe('POST /unsubscribe (RFC 8058 one-click)', () => {
  it('unsubscribes with List-Unsubscribe=One-Click as a URL-encoded form', async () => {
    const { app, token, status } = await setup();

    const response = await app.request(oneClick(token));

    expect(response.status).toBe(200);
    expect(status()).toBe('unsubscribed');
  });

  it('unsubscribes with List-Unsubscribe=One-Click as multipart/form-data', async () => {
    const { app, token, status } = await setup();
    const body = new FormData();
    body.append('List-Unsubscribe', 'One-Click');

    const response = await app.request(oneClick(token, { headers: {}, body }));

    expect(response.status).toBe(200);
    expect(status()).toBe('unsubscribed');
  });

  it('answers 200 itself, with no redirect and no cookie, to a request without credentials', async () => {
    const { app, token } = await setup();

    const response = await app.request(oneClick(token));

    expect(response.status).toBe(200);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(await response.text()).toContain('You are unsubscribed');
  });

  it('answers the same to a repeated request and changes nothing more', async () => {
    const { app, token, deps } = await setup();
    const first = await app.request(oneClick(token));
    const after = structuredClone(deps.subscribers.items);

    const second = await app.request(oneClick(token));

    expect(second.status).toBe(first.status);
    expect(await second.text()).toBe(await first.text());
    expect(deps.subscribers.items).toEqual(after);
  });

  it('refuses a tampered token with 400 and changes nothing', async () => {
    const { app, token, status } = await setup();
    const tampered = `${token.slice(0, -2)}${token.at(-2) === 'A' ? 'B' : 'A'}${token.at(-1)}`;

    const response = await app.request(oneClick(tampered));

    expect(response.status).toBe(400);
    expect(status()).toBe('active');
  });

  it('refuses a request without a token with 400', async () => {
    const { app, status } = await setup();

    const response = await app.request('/unsubscribe', {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: ONE_CLICK,
    });

    expect(response.status).toBe(400);
    expect(status()).toBe('active');
  });

  it('refuses a multipart body that cannot be read with 400 and a clear message', async () => {
    const { app, token, status } = await setup();

    const response = await app.request(
      oneClick(token, {
        headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
        body: 'this is not multipart',
      }),
    );

    expect(response.status).toBe(400);
    expect(await response.text()).toContain('The body could not be read as a form.');
    expect(status()).toBe('active');
  });

  it('refuses a List-Unsubscribe field that is not One-Click with 400', async () => {
    const { app, token, status } = await setup();

    const response = await app.request(oneClick(token, { body: 'List-Unsubscribe=Later' }));

    expect(response.status).toBe(400);
    expect(status()).toBe('active');
  });

  it.each([
    ['a form that never says it', 'foo=bar'],
    ['an empty form', ''],
    ['the field twice', `${ONE_CLICK}&${ONE_CLICK}`],
    ['the field with no value', 'List-Unsubscribe'],
    ['the value in lower case', 'List-Unsubscribe=one-click'],
    ['the value with a space after it', 'List-Unsubscribe=One-Click+'],
    ['the field name in lower case', 'list-unsubscribe=One-Click'],
  ])('refuses %s with 400 and unsubscribes nobody', async (_, body) => {
    const { app, token, status } = await setup();

    const response = await app.request(oneClick(token, { body }));

    expect(response.status).toBe(400);
    const page = parse(await response.text());
    expect(page.querySelector('h1')?.text).toBe('Cannot unsubscribe');
    expect(page.querySelector('main p')?.text).toBe(
      'The form must hold the field List-Unsubscribe once, with the value One-Click (RFC 8058).',
    );
    expect(status()).toBe('active');
  });

  it('refuses a request with neither body nor media type with 400', async () => {
    const { app, token, status } = await setup();

    const response = await app.request(oneClick(token, { headers: {}, body: null }));

    expect(response.status).toBe(400);
    expect(status()).toBe('active');
  });

  it('refuses a multipart form that gives the field twice, or as a file, with 400', async () => {
    const { app, token, status } = await setup();
    const twice = new FormData();
    twice.append('List-Unsubscribe', 'One-Click');
    twice.append('List-Unsubscribe', 'One-Click');
    const file = new FormData();
    file.append('List-Unsubscribe', new Blob(['One-Click']), 'one-click.txt');

    const answers = [
      await app.request(oneClick(token, { headers: {}, body: twice })),
      await app.request(oneClick(token, { headers: {}, body: file })),
    ];

    expect(answers.map((answer) => answer.status)).toEqual([400, 400]);
    expect(status()).toBe('active');
  });

  it.each([
    ['gzip', () => gzipSync(ONE_CLICK)],
    ['gzip', () => 'not gzip at all'],
    ['br', () => ONE_CLICK],
    ['deflate', () => ONE_CLICK],
    ['gzip, identity', () => ONE_CLICK],
    ['', () => ONE_CLICK],
  ])('refuses a body sent with Content-Encoding “%s” with 415, unread', async (coding, body) => {
    const { app, token, status } = await setup();

    const response = await app.request(
      oneClick(token, {
        headers: { 'content-type': FORM, 'content-encoding': coding },
        body: body(),
      }),
    );

    expect(response.status).toBe(415);
    expect(response.headers.get('accept-encoding')).toBe('identity');
    expect(parse(await response.text()).querySelector('h1')?.text).toBe('Cannot unsubscribe');
    expect(status()).toBe('active');
  });

  it('unsubscribes with Content-Encoding identity, which is a plain body', async () => {
    const { app, token, status } = await setup();

    const response = await app.request(
      oneClick(token, { headers: { 'content-type': FORM, 'content-encoding': 'Identity' } }),
    );

    expect(response.status).toBe(200);
    expect(status()).toBe('unsubscribed');
  });

  it('refuses a body of another media type with 415', async () => {
    const { app, token, status } = await setup();

    const response = await app.request(
      oneClick(token, { headers: { 'content-type': 'text/plain' }, body: ONE_CLICK }),
    );

    expect(response.status).toBe(415);
    expect(status()).toBe('active');
  });

  it('refuses an oversized body with 413', async () => {
    const { app, token, status } = await setup();

    const response = await app.request(
      oneClick(token, { body: `${ONE_CLICK}&x=${'y'.repeat(20_000)}` }),
    );

    expect(response.status).toBe(413);
    expect(status()).toBe('active');
  });

  it('keeps the page out of caches', async () => {
    const { app, token } = await setup();

    const response = await app.request(oneClick(token));

    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});

describe('GET /unsubscribe', () => {
  it('shows a button that posts the one-click form, and changes nothing', async () => {
    const { app, token, status } = await setup();

    const response = await app.request(`/unsubscribe?token=${token}`);

    expect(response.status).toBe(200);
    const form = parse(await response.text()).querySelector('form');
    expect(form?.getAttribute('method')).toBe('post');
    expect(form?.querySelector('input[name="List-Unsubscribe"]')?.getAttribute('value')).toBe(
      'One-Click',
    );
    expect(form?.querySelector('button')?.text).toBe('Unsubscribe');
    expect(status()).toBe('active');
  });

  it('has a button whose form, sent as a browser sends it, unsubscribes', async () => {
    const { app, token, status } = await setup();
    const url = `http://localhost/unsubscribe?token=${token}`;
    const form = parse(await (await app.request(url)).text()).querySelector('form');
    // A browser posts the form's named inputs, URL-encoded, to the page's own address.
    const fields = new URLSearchParams();
    for (const input of form?.querySelectorAll('input[name]') ?? []) {
      fields.append(input.getAttribute('name') ?? '', input.getAttribute('value') ?? '');
    }

    const response = await app.request(new URL(form?.getAttribute('action') ?? '', url).href, {
      method: form?.getAttribute('method') ?? 'get',
      headers: { 'content-type': FORM },
      body: fields.toString(),
    });

    expect(fields.toString()).toBe(ONE_CLICK);
    expect(response.status).toBe(200);
    expect(status()).toBe('unsubscribed');
  });

  it('answers a forged token with 400', async () => {
    const { app, subscriber } = await setup();
    const forged = signSubscriberToken(
      { kid: FIRST_KID, key: new Uint8Array(32) },
      subscriber.id,
      'unsubscribe',
    );

    const response = await app.request(`/unsubscribe?token=${forged}`);

    expect(response.status).toBe(400);
  });
});

describe('the unsubscribe link of a test send', () => {
  async function withTestToken() {
    const context = await setup();
    const lines: Record<string, unknown>[] = [];
    const app = subscriptionRoutes({
      ...context.deps,
      hashKey: async () => context.deps.hashKey,
      log: (line) => lines.push(line),
    });
    const testToken = signSubscriberToken(
      context.deps.linkKeys.keys.newest,
      TEST_TOKEN_SUBJECT,
      'test',
      {
        issueId: '01JISSUE000000000000000000',
      },
    );
    return { ...context, app, testToken, lines };
  }

  it('GET shows the page a subscriber’s link shows, and changes nothing', async () => {
    const { app, deps, token, testToken } = await withTestToken();
    const before = structuredClone(deps.subscribers.items);

    const real = await app.request(`/unsubscribe?token=${token}`);
    const test = await app.request(`/unsubscribe?token=${testToken}`);

    expect(test.status).toBe(200);
    expect(await test.text()).toBe(await real.text());
    expect(deps.subscribers.items).toEqual(before);
  });

  it('a one-click POST answers as a subscriber’s does, and unsubscribes nobody', async () => {
    const { app, deps, testToken, lines } = await withTestToken();
    const before = structuredClone(deps.subscribers.items);
    const suppressions = structuredClone([...deps.suppressions.items]);

    const test = await app.request(oneClick(testToken));

    expect(test.status).toBe(200);
    expect(test.headers.get('location')).toBeNull();
    expect(await test.text()).toContain('You are unsubscribed');
    expect(deps.subscribers.items).toEqual(before);
    expect([...deps.suppressions.items]).toEqual(suppressions);
    expect(lines).toEqual([{ route: 'unsubscribe', outcome: 'test' }]);
  });

  it('answers the same page as a subscriber’s one-click POST', async () => {
    const { app, token, testToken } = await withTestToken();

    const test = await (await app.request(oneClick(testToken))).text();
    const real = await (await app.request(oneClick(token))).text();

    expect(test).toBe(real);
  });

  it('changes nothing even when signed with a subscriber’s own id', async () => {
    const { app, deps, subscriber, status } = await withTestToken();
    const theirs = signSubscriberToken(deps.linkKeys.keys.newest, subscriber.id, 'test');

    const response = await app.request(oneClick(theirs));

    expect(response.status).toBe(200);
    expect(status()).toBe('active');
  });

  it('refuses a test token of another key with 400', async () => {
    const { app, status } = await withTestToken();
    const forged = signSubscriberToken(
      { kid: FIRST_KID, key: new Uint8Array(32) },
      TEST_TOKEN_SUBJECT,
      'test',
    );

    const get = await app.request(`/unsubscribe?token=${forged}`);
    const post = await app.request(oneClick(forged));

    expect([get.status, post.status]).toEqual([400, 400]);
    expect(status()).toBe('active');
  });
});

describe('POST /subscribe', () => {
  it('gives the same answer for a new, a pending and an active address', async () => {
    const { app } = await setup();
    const ask = (email: string) =>
      app.request('/subscribe', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email }),
      });

    const answers = [];
    for (const email of ['new@example.org', 'new@example.org', 'reader@example.org']) {
      const response = await ask(email);
      answers.push({ status: response.status, body: await response.text() });
    }

    expect(answers[0]?.status).toBe(202);
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });

  it('accepts a form, and the confirmations job mails one confirmation', async () => {
    const { app, deps } = await setup();

    const response = await app.request('/subscribe', {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: 'email=new%40example.org&name=New+Reader',
    });
    const mailedAtOnce = deps.mailer.sent.length;
    await sendDueConfirmations(deps);

    expect(response.status).toBe(202);
    expect(await response.text()).toContain('Check your inbox');
    expect(mailedAtOnce).toBe(0);
    expect(deps.mailer.sent.map((message) => message.to)).toEqual(['new@example.org']);
    expect(deps.subscribers.items[1]).toMatchObject({ name: 'New Reader', status: 'pending' });
  });

  it.each([
    ['a form', FORM, (fields: Record<string, string>) => new URLSearchParams(fields).toString()],
    ['JSON', 'application/json', (fields: Record<string, string>) => JSON.stringify(fields)],
  ])(
    'mails, for %s, a confirmation that says nothing typed but its link',
    async (_, type, encode) => {
      const { app, deps } = await setup();
      const name = 'URGENT your account is locked visit https://evil.example/verify';

      const response = await app.request('/subscribe', {
        method: 'POST',
        headers: { 'content-type': type },
        body: encode({ email: 'new@example.org', name, message: 'Call +1 555 0100 now' }),
      });
      await sendDueConfirmations(deps);

      expect(response.status).toBe(202);
      const mail = await simpleParser(Buffer.from(deps.mailer.sent[0]?.raw ?? []));
      const shown = [
        mail.subject,
        mail.from?.text,
        mail.to && !Array.isArray(mail.to) ? mail.to.text : '',
        mail.text,
        mail.html,
        ...mail.headerLines.map((header) => header.line),
      ].join('\n');
      for (const typed of ['URGENT', 'locked', 'evil.example', '555 0100']) {
        expect(shown).not.toContain(typed);
      }
      expect(mail.text?.split('\n')[0]).toBe('Hello,');
      const links = parse(String(mail.html))
        .querySelectorAll('[href], [src]')
        .map((element) => element.getAttribute('href') ?? element.getAttribute('src'));
      expect(links).toHaveLength(2);
      expect(new Set(links).size).toBe(1);
      expect(links[0]).toMatch(/^https:\/\/news\.example\.com\/confirm\?token=[^&]+$/);
      // The name is kept for the issues, which greet subscribers once they have confirmed.
      expect(deps.subscribers.items[1]?.name).toBe(name);
    },
  );

  it('refuses a compressed sign-up with 415, unread, and mails nothing', async () => {
    const { app, deps } = await setup();

    const response = await app.request('/subscribe', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify({ email: 'new@example.org' })),
    });

    expect(response.status).toBe(415);
    expect(response.headers.get('accept-encoding')).toBe('identity');
    expect(await response.json()).toEqual({
      error: 'Send the body as it is: without a Content-Encoding, or with identity.',
    });
    expect(deps.subscribers.items).toHaveLength(1);
    expect(deps.mailer.sent).toEqual([]);
  });

  it('shows the form again with the problem when the address is not valid', async () => {
    const { app, deps } = await setup();

    const response = await app.request('/subscribe', {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: 'email=not-an-address',
    });

    expect(response.status).toBe(400);
    const page = parse(await response.text());
    expect(page.querySelector('[role="alert"]')?.text).toBe('Please give a valid email address.');
    expect(page.querySelector('#email')?.getAttribute('value')).toBe('not-an-address');
    expect(deps.subscribers.items).toHaveLength(1);
  });

  it('answers a body that is not JSON with 400 and says so', async () => {
    const { app } = await setup();

    const response = await app.request('/subscribe', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email":',
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'The body is not valid JSON.' });
  });
});

describe('GET and POST /confirm', () => {
  async function pending() {
    const context = await setup();
    await context.app.request('/subscribe', {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: 'email=new%40example.org',
    });
    await sendDueConfirmations(context.deps);
    const mail = await simpleParser(Buffer.from(context.deps.mailer.sent[0]?.raw ?? []));
    const url = new URL(/https:\/\/\S+\/confirm\?token=\S+/.exec(mail.text ?? '')?.[0] ?? '');
    return {
      ...context,
      path: `${url.pathname}${url.search}`,
      newStatus: () => context.deps.subscribers.items[1]?.status,
    };
  }

  it('GET shows a button and leaves the subscriber pending', async () => {
    const { app, path, newStatus } = await pending();

    const response = await app.request(path);

    expect(response.status).toBe(200);
    expect(parse(await response.text()).querySelector('form[method="post"] button')?.text).toBe(
      'Confirm my subscription',
    );
    expect(newStatus()).toBe('pending');
  });

  it('POST activates the subscriber, and again changes nothing', async () => {
    const { app, path, newStatus } = await pending();

    const first = await app.request(path, { method: 'POST' });
    const second = await app.request(path, { method: 'POST' });

    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await second.text()).toContain('You are subscribed');
    expect(newStatus()).toBe('active');
  });

  it('POST with an expired link answers 410 and confirms nothing', async () => {
    const { app, path, newStatus, deps } = await pending();
    deps.clock.advance(49 * 60);

    const response = await app.request(path, { method: 'POST' });

    expect(response.status).toBe(410);
    expect(newStatus()).toBe('pending');
  });
});

describe('pages', () => {
  it('label every field and name their language', async () => {
    const { app } = await setup();

    const page = parse(await (await app.request('/subscribe')).text());

    expect(page.querySelector('html')?.getAttribute('lang')).toBe('en');
    for (const input of page.querySelectorAll('input:not([type="hidden"])')) {
      expect(page.querySelector(`label[for="${input.id}"]`)).not.toBeNull();
    }
  });
});

describe('route inputs (property)', () => {
  const tokenLike = fc.oneof(
    fc.string(),
    fc.stringMatching(/^[0-9A-Za-z_.-]{1,120}$/),
    fc.constant(''),
  );

  it('any token but a signed one gets a 4xx and changes nothing, by GET or POST', async () => {
    const { app, deps } = await setup();
    const before = structuredClone(deps.subscribers.items);
    await fc.assert(
      fc.asyncProperty(
        tokenLike,
        fc.constantFrom('/unsubscribe', '/confirm'),
        fc.constantFrom('GET', 'POST'),
        async (token, path, method) => {
          const response = await app.request(
            `${path}?token=${encodeURIComponent(token)}`,
            method === 'POST'
              ? { method, headers: { 'content-type': FORM }, body: ONE_CLICK }
              : { method },
          );
          expect(response.status).toBeGreaterThanOrEqual(400);
          expect(response.status).toBeLessThan(500);
        },
      ),
      { numRuns: 150 },
    );
    expect(deps.subscribers.items).toEqual(before);
  });

  it('any sign-up body gets 202 or a 4xx, and only a valid address is stored', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.emailAddress().map((email) => JSON.stringify({ email })),
          fc
            .record({ email: fc.oneof(fc.emailAddress(), fc.string()), name: fc.string() })
            .map((body) => new URLSearchParams(body).toString()),
        ),
        fc.constantFrom('application/json', FORM, 'text/plain', 'multipart/form-data; boundary=b'),
        async (body, contentType) => {
          const { app, deps } = await setup();

          const response = await app.request('/subscribe', {
            method: 'POST',
            headers: { 'content-type': contentType },
            body,
          });

          expect([202, 400, 415]).toContain(response.status);
          const queued = [...deps.signups.requests.values()];
          expect(queued.length).toBe(response.status === 202 ? 1 : 0);
          for (const s of queued) expect(s.email).toMatch(/^[^@\s]+@[^@\s]+$/);
        },
      ),
      { numRuns: 150 },
    );
  });
});
