import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbSendLedgerEraser, ERASED_ERROR } from '#adapters/dynamodb-send-ledger-eraser.ts';
import { DynamoDbSubscriberStore } from '#adapters/dynamodb-subscriber-store.ts';
import { tables } from '#adapters/tables.ts';
import { addressKey } from '#core/common/address-hash.ts';
import type { Subscriber } from '#core/subscribers/ports.ts';
import { startProvisionedAws } from './support/local-aws.ts';

let local: Awaited<ReturnType<typeof startProvisionedAws>>;
beforeAll(async () => {
  local = await startProvisionedAws();
});
afterAll(() => local.stop());

let sequence = 0;
/** A subscriber with a fresh id and address, so that tests sharing the table stay apart. */
function subscriber(changes: Partial<Subscriber> = {}): Subscriber {
  sequence++;
  return {
    id: `01JSTORE${String(sequence).padStart(18, '0')}`,
    email: `reader-${sequence}@example.org`,
    status: 'active',
    source: 'cli',
    createdAt: '2025-03-07T08:00:00.000Z',
    ...changes,
  };
}

const store = () => new DynamoDbSubscriberStore(local.documents, tables.subscribers.localName);

// What the subscriber and suppression stores promise is in tests/contracts (run in
// ./contracts); here is what only the DynamoDB table shows.
describe('DynamoDbSubscriberStore, for subscriptions', () => {
  it('finds nobody for an address that was never added', async () => {
    await store().add(subscriber());

    expect(await store().findByEmail('nobody-here@example.org')).toBeUndefined();
  });

  it('leaves no item that holds the address of a removed subscriber', async () => {
    const added = subscriber({ email: `Removed-${Date.now()}@Example.org` });
    await store().add(added);

    const removed = await store().remove(added.id);

    expect(removed).toBe(true);
    const items = await local.documents.send(
      new ScanCommand({ TableName: tables.subscribers.localName }),
    );
    const mentions = (items.Items ?? []).filter((item) =>
      JSON.stringify(item).toLowerCase().includes(addressKey(added.email)),
    );
    expect(mentions).toEqual([]);
  });
});

describe('DynamoDbSendLedgerEraser', () => {
  it('replaces the error text of a forgotten subscriber and leaves other records alone', async () => {
    const put = (issueId: string, subscriberId: string, error?: string) =>
      local.documents.send(
        new PutCommand({
          TableName: tables.sends.localName,
          Item: {
            issueId,
            subscriberId,
            status: error ? 'failed' : 'sent',
            updatedAt: '2025-03-07T08:00:00.000Z',
            ...(error ? { error } : { messageId: 'ses-1' }),
          },
        }),
      );
    await put('issue-1', 'gone', 'MessageRejected: not verified: gone@example.org');
    await put('issue-2', 'gone');
    await put('issue-1', 'stays', 'MessageRejected: not verified: stays@example.org');
    const eraser = new DynamoDbSendLedgerEraser(local.documents, tables.sends.localName);

    const changed = await eraser.eraseSubscriber('gone');

    const items = (
      await local.documents.send(new ScanCommand({ TableName: tables.sends.localName }))
    ).Items;
    expect(changed).toBe(1);
    expect(items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ subscriberId: 'gone', issueId: 'issue-1', error: ERASED_ERROR }),
        expect.objectContaining({ subscriberId: 'gone', issueId: 'issue-2', messageId: 'ses-1' }),
        expect.objectContaining({
          subscriberId: 'stays',
          error: expect.stringContaining('stays@'),
        }),
      ]),
    );
  });
});
