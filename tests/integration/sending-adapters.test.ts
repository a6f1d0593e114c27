import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SESClient } from '@aws-sdk/client-ses';
import {
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbSendLedger } from '#adapters/dynamodb-send-ledger.ts';
import { queues } from '#adapters/resources.ts';
import { SesSendQuota } from '#adapters/ses-send-quota.ts';
import { SqsEventBacklog } from '#adapters/sqs-event-backlog.ts';
import { SqsSendQueue } from '#adapters/sqs-send-queue.ts';
import { tables } from '#adapters/tables.ts';
import { startProvisionedAws } from './support/local-aws.ts';

let local: Awaited<ReturnType<typeof startProvisionedAws>>;
let sqs: SQSClient;
beforeAll(async () => {
  local = await startProvisionedAws();
  const common = {
    region: local.env.AWS_REGION,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  };
  sqs = new SQSClient({ ...common, endpoint: local.env.AWS_ENDPOINT_URL_SQS });
});
afterAll(async () => {
  sqs.destroy();
  await local.stop();
});

const AT = '2026-11-27T08:00:00.000Z';

// What the ledger, the send queue and the rendered-issue store promise is in tests/contracts
// (run in ./contracts); here is what only the services themselves do.
describe('DynamoDbSendLedger', () => {
  it('reads an issue across the pages DynamoDB cuts at 1 MB, in subscriber order', async () => {
    const ledger = new DynamoDbSendLedger(local.documents, tables.sends.localName);
    const issueId = '01JLEDGER0000000000000PAGE';
    const ids = Array.from({ length: 300 }, (_, i) => `s${String(i).padStart(5, '0')}`);
    await ledger.addMissing(
      issueId,
      ids.map((subscriberId) => ({ subscriberId, status: 'queued' as const })),
      AT,
    );
    // 300 records of 4 KB each: more than one 1 MB page.
    const error = `MessageRejected: ${'x'.repeat(4000)}`;
    for (let start = 0; start < ids.length; start += 25) {
      await Promise.all(
        ids
          .slice(start, start + 25)
          .map((id) =>
            ledger.update(issueId, id, { status: ['queued'] }, { status: 'failed', error }, AT),
          ),
      );
    }

    const pages: string[][] = [];
    for await (const page of ledger.pages(issueId)) pages.push(page.map((r) => r.subscriberId));

    expect(pages.length).toBeGreaterThan(1);
    expect(pages.flat()).toEqual(ids);
  });
});

describe('SqsSendQueue and SqsEventBacklog', () => {
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

  it('tells the events queue and its dead-letter queue apart', async () => {
    const events = local.env[queues.sesEvents.env] ?? '';
    const deadLetters = local.env[queues.sesEvents.deadLetter.env] ?? '';
    const backlog = new SqsEventBacklog(sqs, events, deadLetters);
    const empty = await backlog.backlog();

    await sqs.send(new SendMessageCommand({ QueueUrl: deadLetters, MessageBody: '{}' }));
    const deadLettered = await backlog.backlog();
    await sqs.send(new SendMessageCommand({ QueueUrl: events, MessageBody: '{}' }));
    const both = await backlog.backlog();
    await sqs.send(new PurgeQueueCommand({ QueueUrl: deadLetters }));
    const queued = await backlog.backlog();
    await sqs.send(new PurgeQueueCommand({ QueueUrl: events }));

    expect([empty, deadLettered, both, queued]).toEqual([
      { queued: false, deadLettered: false },
      { queued: false, deadLettered: true },
      { queued: true, deadLettered: true },
      { queued: true, deadLettered: false },
    ]);
  });
});

describe('SesSendQuota', () => {
  /** An SES client on `endpoint` that tries once. */
  function sesAt(endpoint: string) {
    return new SESClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
  }

  /** A quota reader that keeps what it logs. */
  function quotaOn(client: SESClient, timeoutMs?: number) {
    const lines: Record<string, unknown>[] = [];
    const quota = new SesSendQuota(client, { timeoutMs, log: (line) => lines.push(line) });
    return { quota, lines };
  }

  it('reads SES’s maximum send rate, and logs nothing', async () => {
    const { quota, lines } = quotaOn(local.ses);

    expect(await quota.maxSendRate()).toBe(10);
    expect(lines).toEqual([]);
  });

  it('warns, naming the refusal, when SES denies GetSendQuota, so the configured rate applies', async () => {
    const denying = createServer((_request, response) => {
      response.writeHead(403, { 'content-type': 'text/xml' });
      response.end(
        '<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type>' +
          '<Code>AccessDenied</Code><Message>User: arn:aws:sts::123456789012:assumed-role/' +
          'schedule/fn is not authorized to perform: ses:GetSendQuota</Message></Error>' +
          '<RequestId>r</RequestId></ErrorResponse>',
      );
    });
    await new Promise<void>((resolve) => denying.listen(0, '127.0.0.1', resolve));
    const client = sesAt(`http://127.0.0.1:${(denying.address() as AddressInfo).port}`);
    try {
      const { quota, lines } = quotaOn(client);

      const rate = await quota.maxSendRate();

      expect(rate).toBeUndefined();
      expect(lines).toEqual([
        expect.objectContaining({
          level: 'warn',
          message: expect.stringContaining('configured sendRate applies'),
          error: expect.stringMatching(
            /^AccessDenied: .*not authorized to perform: ses:GetSendQuota/,
          ),
        }),
      ]);
    } finally {
      client.destroy();
      denying.closeAllConnections();
      denying.close();
    }
  });

  it('warns when SES cannot be reached at all', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const client = sesAt(`http://127.0.0.1:${port}`);
    try {
      const { quota, lines } = quotaOn(client);

      const rate = await quota.maxSendRate();

      expect(rate).toBeUndefined();
      expect(lines).toEqual([
        expect.objectContaining({ level: 'warn', error: expect.stringContaining('ECONNREFUSED') }),
      ]);
    } finally {
      client.destroy();
    }
  });

  it('gives up on an SES that does not answer, and warns that it waited in vain', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const client = sesAt(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`);
    try {
      // The client has no request timeout of its own: without the quota's, this never ends.
      const { quota, lines } = quotaOn(client, 300);

      const rate = await quota.maxSendRate();

      expect(rate).toBeUndefined();
      expect(lines).toEqual([
        expect.objectContaining({ level: 'warn', error: 'no answer within 300 ms' }),
      ]);
    } finally {
      client.destroy();
      silent.closeAllConnections();
      silent.close();
    }
  });
});
