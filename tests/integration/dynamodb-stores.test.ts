import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbArticleStore } from '#adapters/dynamodb-article-store.ts';
import { DynamoDbIssueStore } from '#adapters/dynamodb-issue-store.ts';
import { DynamoDbSendLedger } from '#adapters/dynamodb-send-ledger.ts';
import { DynamoDbSubscriberStore } from '#adapters/dynamodb-subscriber-store.ts';
import { DynamoDbSuppressionStore } from '#adapters/dynamodb-suppression-store.ts';
import { MalformedItemError } from '#adapters/parse-item.ts';
import { tables } from '#adapters/tables.ts';
import { startProvisionedAws } from './support/local-aws.ts';

// What every store promises is in tests/contracts (run in ./contracts); here is what only
// DynamoDB can do to them: items that do not have the shape the store wrote.

let local: Awaited<ReturnType<typeof startProvisionedAws>>;
beforeAll(async () => {
  local = await startProvisionedAws();
});
afterAll(() => local.stop());

const put = (table: string, item: Record<string, unknown>) =>
  local.documents.send(new PutCommand({ TableName: table, Item: item }));

/** What a promise rejected with, or undefined when it resolved. */
const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('a malformed DynamoDB item', () => {
  it('stops the issue store with an error naming the table and the issue', async () => {
    const table = tables.issues.localName;
    const store = new DynamoDbIssueStore(local.documents, table);
    await put(table, {
      issueId: '01JMALFORMED00000000000001',
      createdAt: '2026-11-27T08:00:00.000Z',
      subject: 'Articles as text',
      articleIds: 'ferry-choir,night-market',
      state: 'sending',
      version: 1,
      sha256: 'a1'.repeat(32),
      renderedAt: '2026-11-27T08:00:00.000Z',
      timeline: [],
    });

    const got = await rejection(store.get('01JMALFORMED00000000000001'));
    const listed = await rejection(store.list());

    expect(got).toBeInstanceOf(MalformedItemError);
    expect(String(got)).toMatch(/01JMALFORMED00000000000001.*newsletter-issues.*articleIds/);
    expect(listed).toBeInstanceOf(MalformedItemError);
  });

  it('stops the suppression store with an error naming the table and the hash', async () => {
    const table = tables.suppressions.localName;
    const store = new DynamoDbSuppressionStore(local.documents, table);
    await put(table, { addressHash: 'hash-malformed', reason: 'spam', detail: 'x', at: 'now' });

    const got = await rejection(store.get('hash-malformed'));

    expect(got).toBeInstanceOf(MalformedItemError);
    expect(String(got)).toMatch(/hash-malformed.*newsletter-suppressions.*reason/);
  });

  it('stops the send ledger with an error naming the table and the record', async () => {
    const table = tables.sends.localName;
    const ledger = new DynamoDbSendLedger(local.documents, table);
    const issueId = '01JMALFORMED00000000000002';
    await put(table, { issueId, subscriberId: 's1', status: 'lost', updatedAt: 'now' });

    const read = await rejection(ledger.getMany(issueId, ['s1']));
    const listed = await rejection(ledger.list(issueId));

    expect(read).toBeInstanceOf(MalformedItemError);
    expect(String(read)).toMatch(/01JMALFORMED00000000000002.*s1.*newsletter-sends.*status/);
    expect(listed).toBeInstanceOf(MalformedItemError);
  });

  it('stops the subscriber store with an error naming the subscriber, not the address', async () => {
    const table = tables.subscribers.localName;
    const store = new DynamoDbSubscriberStore(local.documents, table);
    await put(table, { id: '01JMALFORMED00000000000003', email: 'kept@example.org', status: 'on' });

    const got = await rejection(store.get('01JMALFORMED00000000000003'));
    const listed = await rejection(store.list());

    expect(got).toBeInstanceOf(MalformedItemError);
    expect(String(got)).toMatch(/01JMALFORMED00000000000003.*newsletter-subscribers.*status/);
    expect(String(got)).not.toContain('kept@example.org');
    expect(listed).toBeInstanceOf(MalformedItemError);
  });

  it('stops the article store with an error naming the table and the article', async () => {
    const table = tables.articles.localName;
    const store = new DynamoDbArticleStore(local.documents, table);
    await put(table, { id: 'malformed-article', headline: 'No date', slides: [] });

    const got = await rejection(store.getMany(['malformed-article']));

    expect(got).toBeInstanceOf(MalformedItemError);
    expect(String(got)).toMatch(/malformed-article.*newsletter-articles.*publishedAt/);
  });
});
