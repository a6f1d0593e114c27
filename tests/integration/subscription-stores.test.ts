import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbSendLedgerEraser, ERASED_ERROR } from '#adapters/dynamodb-send-ledger-eraser.ts';
import { DynamoDbSubscriberStore } from '#adapters/dynamodb-subscriber-store.ts';
import { DynamoDbSuppressionStore } from '#adapters/dynamodb-suppression-store.ts';
import { tables } from '#adapters/tables.ts';
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

describe('DynamoDbSubscriberStore, for subscriptions', () => {
  it('creates one subscriber when the same address is added many times at once', async () => {
    const email = `same-${Date.now()}@example.org`;
    const attempts = Array.from({ length: 8 }, (_, n) =>
      subscriber({ email: n % 2 ? email.toUpperCase() : email }),
    );

    const results = await Promise.all(attempts.map((s) => store().add(s)));

    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(results.map((result) => result.subscriber.id)).size).toBe(1);
    const listed = (await store().list()).filter((s) => s.email.toLowerCase() === email);
    expect(listed).toHaveLength(1);
  });

  it('finds a subscriber by address, whatever its case, right after adding it', async () => {
    const added = subscriber();
    await store().add(added);

    expect(await store().findByEmail(added.email.toUpperCase())).toEqual(added);
  });

  it('applies a change only while its condition holds', async () => {
    const added = subscriber({ status: 'pending', pendingSince: '2025-03-07T08:00:00.000Z' });
    await store().add(added);

    const refused = await store().update(
      added.id,
      { status: 'active' },
      { status: ['unsubscribed'] },
    );
    const stale = await store().update(
      added.id,
      { status: 'active' },
      { status: ['pending'], pendingSince: '2025-03-07T07:00:00.000Z' },
    );
    const applied = await store().update(
      added.id,
      { status: 'active', pendingSince: undefined },
      { status: ['pending'], pendingSince: '2025-03-07T08:00:00.000Z' },
    );

    expect([refused, stale]).toEqual([undefined, undefined]);
    expect(applied).toEqual({ ...added, status: 'active', pendingSince: undefined });
    expect(await store().get(added.id)).not.toHaveProperty('pendingSince');
  });

  it('lets one of two confirmation requests within the interval claim the email', async () => {
    const added = subscriber({ status: 'pending', confirmationSentAt: '2025-03-07T08:00:00.000Z' });
    await store().add(added);

    const tooSoon = await store().update(
      added.id,
      { confirmationSentAt: '2025-03-07T08:05:00.000Z' },
      { confirmationSentBefore: '2025-03-07T07:55:00.000Z' },
    );
    const later = await store().update(
      added.id,
      { confirmationSentAt: '2025-03-07T08:11:00.000Z' },
      { confirmationSentBefore: '2025-03-07T08:01:00.000Z' },
    );

    expect(tooSoon).toBeUndefined();
    expect(later?.confirmationSentAt).toBe('2025-03-07T08:11:00.000Z');
  });

  it('counts each bounced message once and clears the count', async () => {
    const added = subscriber();
    await store().add(added);

    await store().addTransientBounce(added.id, 'message-1');
    await store().addTransientBounce(added.id, 'message-1');
    const count = await store().addTransientBounce(added.id, 'message-2');
    const withBounces = await store().get(added.id);
    await store().update(added.id, { transientBounces: undefined });

    expect(count).toBe(2);
    expect(withBounces?.transientBounces).toEqual(['message-1', 'message-2']);
    expect(await store().get(added.id)).not.toHaveProperty('transientBounces');
  });

  it('removes a subscriber and its address, so the address can be added anew', async () => {
    const added = subscriber();
    await store().add(added);

    const removed = await store().remove(added.id);
    const again = await store().add({ ...added, id: `${added.id.slice(0, -1)}Z` });

    expect(removed).toBe(true);
    expect(again.created).toBe(true);
    const items = await local.documents.send(
      new ScanCommand({ TableName: tables.subscribers.localName }),
    );
    expect(items.Items?.filter((item) => item.id === added.id)).toEqual([]);
  });

  it('pages through subscribers without the items that hold addresses', async () => {
    for (let n = 0; n < 5; n++) await store().add(subscriber());
    const seen: Subscriber[] = [];
    let cursor: string | undefined;

    do {
      const page = await store().page(cursor, 3);
      seen.push(...page.subscribers);
      cursor = page.cursor;
    } while (cursor);

    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect(seen.every((s) => s.id.startsWith('01J') && s.email.includes('@'))).toBe(true);
    expect(await store().list()).toHaveLength(seen.length);
  });
});

describe('DynamoDbSuppressionStore', () => {
  it('keeps a suppression under its hash and forgets it on delete', async () => {
    const suppressions = new DynamoDbSuppressionStore(
      local.documents,
      tables.suppressions.localName,
    );
    const suppression = {
      reason: 'complaint',
      detail: 'abuse',
      at: '2025-03-07T08:00:00.000Z',
    } as const;

    await suppressions.put('hash-1', suppression);
    const kept = await suppressions.get('hash-1');
    await suppressions.delete('hash-1');

    expect(kept).toEqual(suppression);
    expect(await suppressions.get('hash-1')).toBeUndefined();
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
