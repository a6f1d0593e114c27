import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { ulid } from 'ulid';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbRateCounters } from '#adapters/dynamodb-rate-counters.ts';
import { DynamoDbSignupQueue } from '#adapters/dynamodb-signup-queue.ts';
import { DynamoDbSubscriberStore } from '#adapters/dynamodb-subscriber-store.ts';
import { DynamoDbSuppressionStore } from '#adapters/dynamodb-suppression-store.ts';
import { SesMailer } from '#adapters/ses-mailer.ts';
import { tables } from '#adapters/tables.ts';
import { subscriptionRoutes } from '#app/subscription-routes.ts';
import {
  type DueConfirmationDeps,
  sendDueConfirmations,
} from '#core/subscribers/send-due-confirmations.ts';
import { compileConfirmationTemplates } from '#templates/compile-confirmation-templates.ts';
import { loadPageTemplates } from '#templates/load-templates.ts';
import { useFreshResources } from './contracts/fresh-resources.ts';
import { fixedLinkKeys } from './support/fixed-link-keys.ts';
import { freshHome } from './support/run-cli.ts';
import { startServe, stopServes } from './support/serve-cli.ts';
import { outboxOnce, readOutbox } from './support/subscription-outbox.ts';

// Subscription bombing on the embedded services, over real HTTP: the network a sign-up comes
// from is the connection's (here, this machine's loopback address), counted in the local
// DynamoDB; confirmations go through the local SES into the outbox.

const signUp = (base: string, email: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/subscribe`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ email }).toString(),
  });

describe('newsletter serve under subscription bombing', () => {
  afterEach(stopServes);

  it('refuses a network past its sign-ups of the hour, and mails no more than the hourly budget', async () => {
    const home = await freshHome();
    const { base, cli } = await startServe(home, {
      NEWSLETTER_SUBSCRIBE_IP_PER_HOUR: '3',
      NEWSLETTER_CONFIRMATIONS_PER_HOUR: '2',
    });

    const statuses = [];
    for (const n of [1, 2, 3]) statuses.push((await signUp(base, `victim${n}@example.com`)).status);
    // A header naming another client changes nothing: the connection's address counts.
    const refused = await signUp(base, 'victim4@example.com', {
      'x-forwarded-for': '198.51.100.1',
    });

    expect(statuses).toEqual([202, 202, 202]);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(3500);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(3600);
    expect(await refused.text()).toContain('Too many sign-ups came from your network.');
    // Two confirmations go out; the third sign-up is stored, its email waiting for the budget.
    const outbox = await outboxOnce(home, (messages) => messages.length >= 2);
    const list = async () =>
      JSON.parse((await cli(['subscribers', 'list', '--json'])).stdout) as { email: string }[];
    let stored = await list();
    for (let tries = 0; stored.length < 3 && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      stored = await list();
    }
    expect(outbox.map((message) => message.record.destinations[0])).toEqual([
      'victim1@example.com',
      'victim2@example.com',
    ]);
    expect(stored.map((subscriber) => subscriber.email).sort()).toEqual([
      'victim1@example.com',
      'victim2@example.com',
      'victim3@example.com',
    ]);
    expect((await readOutbox(home)).length).toBe(2);
  });
});

describe('the sign-up limits on the embedded services, with a clock the test moves', () => {
  const aws = useFreshResources();
  const clock = { time: new Date('2026-11-27T08:00:00.000Z') };
  const advance = (minutes: number) => {
    clock.time = new Date(clock.time.getTime() + minutes * 60_000);
  };
  let deps: DueConfirmationDeps;
  let base: string;
  let server: ReturnType<typeof serve>;

  beforeAll(async () => {
    const documents = aws.local.documents;
    deps = {
      config: {
        listName: 'The Weekly Slide',
        listId: 'weekly.example.com',
        fromEmail: 'digest@example.com',
        postalAddress: '1 Example Street, London',
        publicBaseUrl: 'https://news.example.com',
        language: 'en',
        confirmLinkHours: 48,
        pendingDays: 30,
        confirmationsPerHour: 2,
      },
      subscribers: new DynamoDbSubscriberStore(
        documents,
        await aws.fresh.table(tables.subscribers),
      ),
      suppressions: new DynamoDbSuppressionStore(
        documents,
        await aws.fresh.table(tables.suppressions),
      ),
      signups: new DynamoDbSignupQueue(documents, await aws.fresh.table(tables.signups)),
      counters: new DynamoDbRateCounters(documents, await aws.fresh.table(tables.counters)),
      mailer: new SesMailer(aws.local.ses, 'newsletter-events'),
      confirmationTemplates: compileConfirmationTemplates,
      hashKey: new Uint8Array(32).fill(7),
      linkKeys: fixedLinkKeys(new Uint8Array(32).fill(7)),
      newId: ulid,
      now: () => new Date(clock.time),
    };
    const app = subscriptionRoutes({
      ...deps,
      config: { ...deps.config, subscribeIpPerHour: 3 },
      hashKey: async () => deps.hashKey,
      pageTemplates: loadPageTemplates,
    });
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  it('refuses sign-ups past the limit and takes them again an hour later, and mails the queued confirmations as the budget allows', async () => {
    const mailed = async () =>
      (await readOutbox(aws.local.stateDir)).map((message) => message.record.destinations[0]);

    const first = [];
    for (const n of [1, 2, 3, 4]) first.push((await signUp(base, `reader${n}@example.com`)).status);
    const firstRun = await sendDueConfirmations(deps);
    const afterFirstRun = await mailed();
    advance(30);
    const stillRefused = await signUp(base, 'reader4@example.com');
    const halfwayRun = await sendDueConfirmations(deps);
    advance(30);
    const again = await signUp(base, 'reader4@example.com');
    const hourLaterRun = await sendDueConfirmations(deps);

    expect(first).toEqual([202, 202, 202, 429]);
    expect(firstRun).toEqual({
      stored: 3,
      sent: 2,
      dropped: 0,
      deferred: { reason: 'budget', until: new Date('2026-11-27T09:00:00.000Z') },
    });
    expect(afterFirstRun).toEqual(['reader1@example.com', 'reader2@example.com']);
    expect(stillRefused.headers.get('retry-after')).toBe('1800');
    expect(halfwayRun.sent).toBe(0);
    // The local DynamoDB deletes no expired item: the counter's own end is what is read.
    expect(again.status).toBe(202);
    expect(hourLaterRun).toEqual({ stored: 1, sent: 2, dropped: 0 });
    expect(await mailed()).toEqual([
      'reader1@example.com',
      'reader2@example.com',
      'reader3@example.com',
      'reader4@example.com',
    ]);
  });
});
