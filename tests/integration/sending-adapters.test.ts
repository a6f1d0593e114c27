import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import { SESClient } from '@aws-sdk/client-ses';
import {
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbIssueStore } from '#adapters/dynamodb-issue-store.ts';
import { DynamoDbSendLedger } from '#adapters/dynamodb-send-ledger.ts';
import { buckets, queues } from '#adapters/resources.ts';
import { S3RenderedIssueStore } from '#adapters/s3-rendered-issue-store.ts';
import { SesSendQuota } from '#adapters/ses-send-quota.ts';
import { SqsEventBacklog } from '#adapters/sqs-event-backlog.ts';
import { SqsSendQueue } from '#adapters/sqs-send-queue.ts';
import { tables } from '#adapters/tables.ts';
import type { RenderedIssue } from '#core/rendering/render-issue.ts';
import { startProvisionedAws } from './support/local-aws.ts';

let local: Awaited<ReturnType<typeof startProvisionedAws>>;
let sqs: SQSClient;
let s3: S3Client;
beforeAll(async () => {
  local = await startProvisionedAws();
  const common = {
    region: local.env.AWS_REGION,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  };
  sqs = new SQSClient({ ...common, endpoint: local.env.AWS_ENDPOINT_URL_SQS });
  s3 = new S3Client({ ...common, endpoint: local.env.AWS_ENDPOINT_URL_S3, forcePathStyle: true });
});
afterAll(async () => {
  sqs.destroy();
  s3.destroy();
  await local.stop();
});

const AT = '2026-11-27T08:00:00.000Z';
const LATER = '2026-11-27T08:00:05.000Z';

describe('DynamoDbSendLedger', () => {
  const ledger = () => new DynamoDbSendLedger(local.documents, tables.sends.localName);

  it('adds the records that are missing and leaves the others as they are', async () => {
    const issueId = '01JLEDGER00000000000000001';
    await ledger().addMissing(issueId, [{ subscriberId: 's1', status: 'queued' }], AT);
    await ledger().update(
      issueId,
      's1',
      { status: ['queued'] },
      { status: 'sent', messageId: 'm1' },
      AT,
    );

    const added = await ledger().addMissing(
      issueId,
      [
        { subscriberId: 's1', status: 'queued' },
        { subscriberId: 's2', status: 'suppressed' },
      ],
      LATER,
    );

    expect(added).toEqual([{ subscriberId: 's2', status: 'suppressed' }]);
    expect((await ledger().list(issueId)).map((r) => [r.subscriberId, r.status])).toEqual([
      ['s1', 'sent'],
      ['s2', 'suppressed'],
    ]);
  });

  it('adds each record once when two processes prepare the same issue at once', async () => {
    const issueId = '01JLEDGER00000000000000007';
    const entries = Array.from({ length: 60 }, (_, i) => ({
      subscriberId: `s${i}`,
      status: 'queued' as const,
    }));

    const [first, second] = await Promise.all([
      ledger().addMissing(issueId, entries, AT),
      ledger().addMissing(issueId, entries, LATER),
    ]);

    expect(first.length + second.length).toBe(60);
    expect(await ledger().list(issueId)).toHaveLength(60);
  });

  it('grants a claim to one of two senders only', async () => {
    const issueId = '01JLEDGER00000000000000002';
    await ledger().addMissing(issueId, [{ subscriberId: 's1', status: 'queued' }], AT);

    const results = await Promise.all(
      ['c1', 'c2'].map((claim) =>
        ledger().update(issueId, 's1', { status: ['queued'] }, { status: 'claimed', claim }, LATER),
      ),
    );

    expect(results.sort()).toEqual([false, true]);
  });

  it('changes a record only while it holds the claim, and removes a claim on release', async () => {
    const issueId = '01JLEDGER00000000000000003';
    await ledger().addMissing(issueId, [{ subscriberId: 's1', status: 'queued' }], AT);
    await ledger().update(
      issueId,
      's1',
      { status: ['queued'] },
      { status: 'claimed', claim: 'c1' },
      AT,
    );

    const byOther = await ledger().update(
      issueId,
      's1',
      { status: ['claimed'], claim: 'c2' },
      { status: 'sent', messageId: 'x' },
      LATER,
    );
    const released = await ledger().update(
      issueId,
      's1',
      { status: ['claimed'], claim: 'c1' },
      { status: 'queued', claim: null },
      LATER,
    );

    expect([byOther, released]).toEqual([false, true]);
    const [record] = await ledger().getMany(issueId, ['s1', 'missing']);
    expect(record).toMatchObject({ status: 'queued', updatedAt: LATER });
    expect(record?.claim).toBeUndefined();
  });

  it('takes over an unknown record only when it was not touched since it was read', async () => {
    const issueId = '01JLEDGER00000000000000004';
    await ledger().addMissing(issueId, [{ subscriberId: 's1', status: 'queued' }], AT);
    await ledger().update(
      issueId,
      's1',
      { status: ['queued'] },
      { status: 'unknown', claim: 'c1' },
      AT,
    );
    const seen = { status: ['unknown'] as const, claim: 'c1', updatedAt: AT };

    const first = await ledger().update(
      issueId,
      's1',
      seen,
      { status: 'claimed', claim: 'c2' },
      LATER,
    );
    const second = await ledger().update(
      issueId,
      's1',
      seen,
      { status: 'claimed', claim: 'c3' },
      LATER,
    );

    expect([first, second]).toEqual([true, false]);
    expect((await ledger().list(issueId))[0]?.claim).toBe('c2');
  });

  it('reads every record of an issue, in subscriber order, and no other issue’s', async () => {
    const issueId = '01JLEDGER00000000000000005';
    const ids = Array.from({ length: 300 }, (_, i) => `s${String(i).padStart(5, '0')}`);
    await ledger().addMissing(
      issueId,
      ids.map((subscriberId) => ({ subscriberId, status: 'queued' as const })),
      AT,
    );
    await ledger().addMissing(
      '01JLEDGER00000000000000006',
      [{ subscriberId: 'other', status: 'queued' }],
      AT,
    );

    const seen: string[] = [];
    for await (const page of ledger().pages(issueId)) seen.push(...page.map((r) => r.subscriberId));

    expect(seen).toEqual(ids);
  });
});

describe('DynamoDbIssueStore.update', () => {
  it('changes the rate and preparation time of an issue', async () => {
    const store = new DynamoDbIssueStore(local.documents, tables.issues.localName);
    await store.create({
      issueId: '01JUPDATE0000000000000000A',
      createdAt: AT,
      subject: 'S',
      articleIds: [],
      status: 'sending',
      rate: 14,
    });

    await store.update('01JUPDATE0000000000000000A', { rate: 2.5, preparedAt: LATER });

    expect(await store.get('01JUPDATE0000000000000000A')).toMatchObject({
      rate: 2.5,
      preparedAt: LATER,
    });
  });

  it('moves the preparation cursor only from where it was, and removes it at the end', async () => {
    const store = new DynamoDbIssueStore(local.documents, tables.issues.localName);
    const issueId = '01JUPDATE0000000000000000B';
    await store.create({ issueId, createdAt: AT, subject: 'S', articleIds: [], status: 'sending' });

    const first = await store.update(issueId, { prepareCursor: 'c1' }, { prepareCursor: null });
    const stale = await store.update(issueId, { prepareCursor: 'c9' }, { prepareCursor: null });
    const last = await store.update(
      issueId,
      { prepareCursor: null, preparedAt: LATER },
      { prepareCursor: 'c1' },
    );

    expect([first, stale, last]).toEqual([true, false, true]);
    const issue = await store.get(issueId);
    expect(issue?.preparedAt).toBe(LATER);
    expect(issue?.prepareCursor).toBeUndefined();
  });
});

describe('S3RenderedIssueStore', () => {
  it('keeps an issue’s render with its markers under rendered/<issueId>.json', async () => {
    const store = new S3RenderedIssueStore(s3, buckets.archive.localName);
    const rendered: RenderedIssue = {
      issueId: '01JRENDER00000000000000000',
      subject: 'Café',
      html: '<p>nlm_name_0123456789abcdef</p>',
      text: 'nlm_name_0123456789abcdef',
      markers: {
        name: 'nlm_name_0123456789abcdef',
        unsubscribeUrl: 'nlm_unsubscribeUrl_0123456789abcdef',
      },
    };

    await store.put(rendered);

    expect(await store.get(rendered.issueId)).toEqual(rendered);
    expect(await store.get('01JMISSING0000000000000000')).toBeUndefined();
  });
});

describe('SqsSendQueue and SqsEventBacklog', () => {
  it('enqueues pages as one message each and is idle only when none is left', async () => {
    const url = local.env[queues.send.env] ?? '';
    const queue = new SqsSendQueue(sqs, url);
    const pages = Array.from({ length: 12 }, (_, i) => ({
      issueId: 'i',
      subscriberIds: [`s${i}`],
    }));

    await queue.enqueue(pages);
    const busy = await queue.isIdle();
    await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));

    expect(busy).toBe(false);
    expect(await queue.isIdle()).toBe(true);
  });

  it('holds a delayed page back until its delay has passed', async () => {
    const url = local.env[queues.send.env] ?? '';
    const queue = new SqsSendQueue(sqs, url);

    await queue.enqueue([{ issueId: 'i', subscriberIds: ['later'] }], 1);
    const now = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 0 }));
    const after = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 3 }));

    expect(now.Messages ?? []).toEqual([]);
    expect(JSON.parse(after.Messages?.[0]?.Body ?? '{}')).toEqual({
      issueId: 'i',
      subscriberIds: ['later'],
    });
    await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
  });

  it('counts a message in the SES events dead-letter queue as a backlog', async () => {
    const events = local.env[queues.sesEvents.env] ?? '';
    const deadLetters = local.env[queues.sesEvents.deadLetter.env] ?? '';
    const backlog = new SqsEventBacklog(sqs, events, deadLetters);
    const before = await backlog.isDrained();

    await sqs.send(new SendMessageCommand({ QueueUrl: deadLetters, MessageBody: '{}' }));

    expect(before).toBe(true);
    expect(await backlog.isDrained()).toBe(false);
    await sqs.send(new PurgeQueueCommand({ QueueUrl: deadLetters }));
  });
});

describe('SesSendQuota', () => {
  it('reads SES’s maximum send rate', async () => {
    expect(await new SesSendQuota(local.ses).maxSendRate()).toBe(10);
  });

  it('gives up on an SES that does not answer, so the configured rate applies', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const client = new SESClient({
      endpoint: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    try {
      // The client has no request timeout of its own: without the quota's, this never ends.
      const rate = await new SesSendQuota(client, 300).maxSendRate();

      expect(rate).toBeUndefined();
    } finally {
      client.destroy();
      silent.closeAllConnections();
      silent.close();
    }
  });
});
