import { GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoDbRateCounters } from '#adapters/dynamodb-rate-counters.ts';
import { DynamoDbSignupQueue } from '#adapters/dynamodb-signup-queue.ts';
import { DynamoDbSubscriberStore } from '#adapters/dynamodb-subscriber-store.ts';
import { tables } from '#adapters/tables.ts';
import { useFreshResources } from './contracts/fresh-resources.ts';

// What DynamoDB's time to live reads: the attribute each table names in tables.ts, in
// seconds since the epoch, on every item that must go by itself, and on no other.

const aws = useFreshResources();

const ERASE_AFTER = '2025-04-08T08:00:00.000Z';
const ERASE_SECONDS = Date.parse(ERASE_AFTER) / 1000;

async function item(table: string, key: Record<string, string>) {
  const { Item } = await aws.local.documents.send(
    new GetCommand({ TableName: table, Key: key, ConsistentRead: true }),
  );
  return Item;
}

describe('the subscribers table', () => {
  it('expires a sign-up and its address item together, and neither once it is confirmed', async () => {
    const table = await aws.fresh.table(tables.subscribers);
    const store = new DynamoDbSubscriberStore(aws.local.documents, table);
    const id = '01JTTL0000000000000000000A';
    await store.add({
      id,
      email: 'Reader@Example.org',
      status: 'pending',
      source: 'form',
      createdAt: '2025-03-07T08:00:00.000Z',
      pendingSince: '2025-03-07T08:00:00.000Z',
      eraseAfter: ERASE_AFTER,
    });
    const address = { id: 'address#reader@example.org' };
    const whilePending = [
      (await item(table, { id }))?.[tables.subscribers.timeToLiveAttribute],
      (await item(table, address))?.[tables.subscribers.timeToLiveAttribute],
    ];

    await store.update(
      id,
      { status: 'active', pendingSince: undefined, eraseAfter: undefined },
      { status: ['pending'] },
    );

    expect(whilePending).toEqual([ERASE_SECONDS, ERASE_SECONDS]);
    expect(await item(table, { id })).not.toHaveProperty('expiresAt');
    expect(await item(table, address)).toEqual({ id: address.id, subscriberId: id });
  });

  it('gives an active subscriber no expiry at all', async () => {
    const table = await aws.fresh.table(tables.subscribers);
    const store = new DynamoDbSubscriberStore(aws.local.documents, table);
    await store.add({
      id: '01JTTL0000000000000000000B',
      email: 'active@example.org',
      status: 'active',
      source: 'cli',
      createdAt: '2025-03-07T08:00:00.000Z',
    });

    const { Items = [] } = await aws.local.documents.send(new ScanCommand({ TableName: table }));

    expect(Items).toHaveLength(2);
    for (const each of Items) expect(each).not.toHaveProperty('expiresAt');
  });
});

describe('the sign-ups table', () => {
  it('expires every entry, request or due, at its erasure date', async () => {
    const table = await aws.fresh.table(tables.signups);
    const queue = new DynamoDbSignupQueue(aws.local.documents, table);
    const entry = {
      id: '2025-03-07T08:00:00.000Z#01JTTL0000000000000000000C',
      requestedAt: '2025-03-07T08:00:00.000Z',
      eraseAfter: ERASE_AFTER,
    };
    await queue.addRequest({ ...entry, email: 'reader@example.org' });
    await queue.addDue({ ...entry, subscriberId: '01JTTL0000000000000000000D' });

    const lines = await Promise.all(
      ['request', 'due'].map(async (line) => {
        const { Items = [] } = await aws.local.documents.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: '#queue = :queue',
            ExpressionAttributeNames: { '#queue': 'queue' },
            ExpressionAttributeValues: { ':queue': line },
          }),
        );
        return Items.map((each) => each[tables.signups.timeToLiveAttribute]);
      }),
    );

    expect(lines).toEqual([[ERASE_SECONDS], [ERASE_SECONDS]]);
  });
});

describe('the counters table', () => {
  it('expires a counter at the end of its window, which is also what it is read by', async () => {
    const table = await aws.fresh.table(tables.counters);
    const counters = new DynamoDbRateCounters(aws.local.documents, table);
    const now = new Date('2025-03-07T08:00:00.000Z');

    await counters.count('source#hash', 10, 3600, now);

    expect(await item(table, { counter: 'source#hash' })).toEqual({
      counter: 'source#hash',
      hits: 1,
      [tables.counters.timeToLiveAttribute]: now.getTime() / 1000 + 3600,
    });
  });
});
