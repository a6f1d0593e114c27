import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSEvent } from 'aws-lambda';
import { type ParsedMail, simpleParser } from 'mailparser';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbIssueStore } from '#adapters/dynamodb-issue-store.ts';
import { DynamoDbRateCounters } from '#adapters/dynamodb-rate-counters.ts';
import { DynamoDbSendLedger } from '#adapters/dynamodb-send-ledger.ts';
import { DynamoDbSignupQueue } from '#adapters/dynamodb-signup-queue.ts';
import { DynamoDbSubscriberStore } from '#adapters/dynamodb-subscriber-store.ts';
import { DynamoDbSuppressionStore } from '#adapters/dynamodb-suppression-store.ts';
import { buckets } from '#adapters/resources.ts';
import { S3RenderedIssueStore } from '#adapters/s3-rendered-issue-store.ts';
import { SesMailer } from '#adapters/ses-mailer.ts';
import { tables } from '#adapters/tables.ts';
import { subscriptionRoutes } from '#app/subscription-routes.ts';
import type { OutboxRecord } from '#cli/local/ses-capture-proxy.ts';
import { addressHash } from '#core/common/address-hash.ts';
import { applyDeliveryEvent } from '#core/events/apply-delivery-event.ts';
import type { Issue } from '#core/issues/ports.ts';
import { type TestSendDeps, testSendIssue } from '#core/issues/test-send.ts';
import { personalize } from '#core/rendering/personalize.ts';
import { renderHash } from '#core/rendering/render-hash.ts';
import type { RenderedIssue } from '#core/rendering/render-issue.ts';
import { checkSubscriberToken } from '#core/subscribers/subscriber-token.ts';
import { unsubscribeUrl } from '#core/subscribers/unsubscribe-url.ts';
import { createSesEventsHandler } from '#handlers/ses-events.ts';
import { loadPageTemplates } from '#templates/load-templates.ts';
import { fixedLinkKeys } from './support/fixed-link-keys.ts';
import { startProvisionedAws } from './support/local-aws.ts';
import { localS3Client } from './support/local-s3-client.ts';

const KEY = new Uint8Array(32).fill(9);
/** The first link key has the hash key's bytes, as on a stack or state folder of before. */
const LINK_KEYS = fixedLinkKeys(KEY);
const BASE = 'https://news.example.com';
const UNSUBSCRIBE = 'nlm_unsubscribeUrl_0123456789abcdef0123';
const NAME = 'nlm_name_fedcba9876543210fedc';
const config = {
  listName: 'The Weekly Slide',
  listId: 'weekly.example.com',
  fromEmail: 'digest@example.com',
  publicBaseUrl: BASE,
  sendRate: 10,
};

let local: Awaited<ReturnType<typeof startProvisionedAws>>;
let s3: S3Client;
beforeAll(async () => {
  local = await startProvisionedAws();
  s3 = localS3Client(local.env);
});
afterAll(async () => {
  s3.destroy();
  await local.stop();
});

function stores() {
  return {
    issues: new DynamoDbIssueStore(local.documents, tables.issues.localName),
    renderedIssues: new S3RenderedIssueStore(s3, buckets.archive.localName),
    subscribers: new DynamoDbSubscriberStore(local.documents, tables.subscribers.localName),
    suppressions: new DynamoDbSuppressionStore(local.documents, tables.suppressions.localName),
    ledger: new DynamoDbSendLedger(local.documents, tables.sends.localName),
    mailer: new SesMailer(local.ses, 'newsletter-events'),
  };
}

/** A draft at version 1 with its render stored, as `issues render` leaves one. */
async function draftIssue(): Promise<{ issue: Issue; rendered: RenderedIssue }> {
  const { issues, renderedIssues } = stores();
  const issueId = ulid();
  const rendered: RenderedIssue = {
    issueId,
    subject: 'Night trains are back',
    preheader: 'Sleepers from Paris to Berlin',
    html: `<html><body><p>Hello ${NAME}, ünïcödé &amp; = signs</p><a href="${UNSUBSCRIBE}">Unsubscribe</a></body></html>`,
    text: `Hello ${NAME},\nNight trains are back.\n\nUnsubscribe: ${UNSUBSCRIBE}\n`,
    markers: { unsubscribeUrl: UNSUBSCRIBE, name: NAME },
  };
  const issue: Issue = {
    issueId,
    createdAt: '2026-11-27T07:00:00.000Z',
    subject: rendered.subject,
    articleIds: ['night-trains'],
    state: 'draft',
    version: 1,
    sha256: renderHash(rendered),
    renderedAt: '2026-11-27T07:00:01.000Z',
    timeline: [{ at: '2026-11-27T07:00:00.000Z', actor: 'cli:editor', action: 'draft' }],
  };
  await renderedIssues.put(rendered, issue.sha256);
  await issues.create(issue);
  return { issue, rendered };
}

/** The messages of the outbox that are tests of `issueId`, with their records. */
async function testsInOutbox(issueId: string) {
  const dir = local.aws.outboxDir;
  const found: { record: OutboxRecord; mail: ParsedMail; link: string }[] = [];
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.json')).sort()) {
    const record = JSON.parse(await readFile(join(dir, name), 'utf8')) as OutboxRecord;
    if (record.tags.testOf !== issueId) continue;
    const mail = await simpleParser(await readFile(join(dir, name.replace(/\.json$/, '.eml'))));
    const line = mail.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '';
    const link = /<([^>]+)>/.exec(line.replace(/\r?\n[ \t]+/g, ''))?.[1] ?? '';
    found.push({ record, mail, link });
  }
  return found;
}

function sqsEvent(messages: string[]): SQSEvent {
  return {
    Records: messages.map((message, index) => ({
      messageId: `m${index + 1}`,
      receiptHandle: `r${index + 1}`,
      body: JSON.stringify({ Type: 'Notification', Message: message }),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '0',
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: '0',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:newsletter-ses-events',
      awsRegion: 'us-east-1',
    })),
  };
}

describe('a test send on the embedded services', () => {
  it('mails the stored draft through SES, and its events suppress a bounce without touching the issue’s ledger', async () => {
    const { issue, rendered } = await draftIssue();
    const { issues, subscribers, suppressions, ledger, mailer } = stores();
    await subscribers.add({
      id: ulid(),
      email: 'reader@example.com',
      name: 'Rea Der',
      status: 'active',
      source: 'cli',
      createdAt: '2026-11-01T00:00:00.000Z',
    });
    const published: string[] = [];
    await local.aws.ses.publishEventsTo(async (message) => {
      published.push(message);
    });
    const deps: TestSendDeps = {
      config,
      issues,
      renderedIssues: stores().renderedIssues,
      subscribers,
      suppressions,
      mailer,
      hashKey: KEY,
      linkKeys: LINK_KEYS,
      newId: ulid,
    };
    const addresses = [
      'reader@example.com',
      'success@simulator.amazonses.com',
      'bounce@simulator.amazonses.com',
    ];

    const outcome = await testSendIssue(deps, issue.issueId, addresses, {
      actor: 'cli:editor',
      at: new Date('2026-11-27T08:00:00.000Z'),
    });

    expect(outcome).toMatchObject({ sent: 3, recorded: true });
    const sent = await testsInOutbox(issue.issueId);
    expect(sent.map((m) => m.record.destinations)).toEqual(addresses.map((a) => [a]));
    for (const { record, mail, link } of sent) {
      expect(record.tags).toEqual({ purpose: 'test', testOf: issue.issueId });
      expect(mail.subject).toBe('[TEST] Night trains are back');
      const token = new URL(link).searchParams.get('token') ?? '';
      expect(checkSubscriberToken(LINK_KEYS.keys, token, 'test')).toMatchObject({ valid: true });
      const name = record.destinations[0] === 'reader@example.com' ? 'Rea Der' : '';
      expect(mail.html).toBe(
        personalize(rendered, { unsubscribeUrl: unsubscribeUrl(BASE, token), name }).html,
      );
    }
    const stored = await issues.get(issue.issueId);
    expect(stored?.state).toBe('draft');
    expect(stored?.timeline.at(-1)).toEqual({
      at: '2026-11-27T08:00:00.000Z',
      actor: 'cli:editor',
      action: 'test',
      detail: '3 addresses',
    });

    // SES's events of the test (Send ×3, two Deliveries, a permanent Bounce) through the handler.
    const lines: Record<string, unknown>[] = [];
    const handler = createSesEventsHandler(async () => ({
      ledger,
      applyDeliveryEvent: (event) =>
        applyDeliveryEvent(event, {
          subscribers,
          suppressions,
          hashKey: KEY,
          transientBounceLimit: 3,
          now: () => new Date('2026-11-27T08:01:00.000Z'),
        }),
      now: () => new Date('2026-11-27T08:01:00.000Z'),
      checkRates: async () => undefined,
      log: (line) => lines.push(line),
    }));
    const ofThisIssue = published.filter((message) => message.includes(issue.issueId));
    expect(ofThisIssue.map((m) => JSON.parse(m).eventType).sort()).toEqual([
      'Bounce',
      'Delivery',
      'Delivery',
      'Send',
      'Send',
      'Send',
    ]);

    const response = await handler(sqsEvent(ofThisIssue));

    expect(response.batchItemFailures).toEqual([]);
    expect(
      await suppressions.get(addressHash(KEY, 'bounce@simulator.amazonses.com')),
    ).toMatchObject({ reason: 'bounce', detail: 'Permanent/General' });
    expect(await ledger.list(issue.issueId)).toEqual([]);
    expect(await issues.get(issue.issueId)).toEqual(stored);
    expect(JSON.stringify(lines)).not.toContain('@');

    // The bounced address is refused from now on, before anything is sent.
    await expect(
      testSendIssue(deps, issue.issueId, ['bounce@simulator.amazonses.com'], {
        actor: 'cli:editor',
        at: new Date('2026-11-27T08:02:00.000Z'),
      }),
    ).rejects.toMatchObject({ problem: 'suppressed-address' });
    expect(await testsInOutbox(issue.issueId)).toHaveLength(3);
  });

  it('its unsubscribe link answers as a real one and unsubscribes nobody', async () => {
    const { issue } = await draftIssue();
    const { issues, renderedIssues, subscribers, suppressions, mailer } = stores();
    const { subscriber } = await subscribers.add({
      id: ulid(),
      email: 'clicker@example.com',
      status: 'active',
      source: 'cli',
      createdAt: '2026-11-01T00:00:00.000Z',
    });
    await testSendIssue(
      {
        config,
        issues,
        renderedIssues,
        subscribers,
        suppressions,
        mailer,
        hashKey: KEY,
        linkKeys: LINK_KEYS,
        newId: ulid,
      },
      issue.issueId,
      ['clicker@example.com'],
      { actor: 'cli:editor', at: new Date('2026-11-27T08:00:00.000Z') },
    );
    const [message] = await testsInOutbox(issue.issueId);
    const app = subscriptionRoutes({
      config: {
        ...config,
        language: 'en',
        postalAddress: '1 Example Street',
        confirmLinkHours: 48,
        subscribeIpPerHour: 10,
        pendingDays: 30,
      },
      subscribers,
      suppressions,
      signups: new DynamoDbSignupQueue(local.documents, tables.signups.localName),
      counters: new DynamoDbRateCounters(local.documents, tables.counters.localName),
      pageTemplates: loadPageTemplates,
      hashKey: async () => KEY,
      linkKeys: LINK_KEYS,
      newId: ulid,
      now: () => new Date('2026-11-27T08:05:00.000Z'),
    });
    const path = (message?.link ?? '').slice(BASE.length);

    const page = await app.request(path);
    const clicked = await app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });

    expect(path.startsWith('/unsubscribe?token=')).toBe(true);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<button type="submit">Unsubscribe</button>');
    expect(clicked.status).toBe(200);
    expect(await clicked.text()).toContain('You are unsubscribed');
    expect(await subscribers.get(subscriber.id)).toEqual(subscriber);
    expect(await suppressions.get(addressHash(KEY, 'clicker@example.com'))).toBeUndefined();
  });
});
