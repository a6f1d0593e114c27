import { describe, expect, it } from 'vitest';
import { markCancelled } from '#core/issues/mark-cancelled.ts';
import type { SendStatus } from '#core/sending/ports.ts';
import { ledgerRecord } from '../fakes/memory-issue-deps.ts';
import { MemorySendLedger } from '../fakes/memory-stores.ts';
import { subscriber } from '../support/subscribers.ts';

const ISSUE = '01JISSUE000000000000000001';
const SENT = '2026-11-27T07:00:00.000Z';
const MARKED = '2026-11-27T08:00:00.000Z';
/** When a sender marked a record of the page it reached. */
const BY_SENDER = '2026-11-27T08:00:00.500Z';

/** A ledger whose records of the issue are in `statuses`, reader 1 first. */
async function setup(statuses: readonly SendStatus[]) {
  const ledger = new MemorySendLedger();
  for (const [index, status] of statuses.entries()) {
    await ledgerRecord(ledger, ISSUE, subscriber(index + 1).id, status, SENT);
  }
  return { ledger, deps: { ledger, now: () => new Date(MARKED) } };
}

describe('markCancelled', () => {
  it('marks the queued records cancelled, and no other', async () => {
    const statuses: SendStatus[] = [
      'queued',
      'sent',
      'queued',
      'claimed',
      'unknown',
      'queued',
      'failed',
      'suppressed',
      'queued',
      'cancelled',
    ];
    const { ledger, deps } = await setup(statuses);
    const before = await ledger.list(ISSUE);

    const { marked } = await markCancelled(deps, ISSUE);

    const after = await ledger.list(ISSUE);
    expect(marked).toBe(4);
    for (const index of [0, 2, 5, 8]) {
      expect(after[index]).toEqual({
        issueId: ISSUE,
        subscriberId: subscriber(index + 1).id,
        status: 'cancelled',
        updatedAt: MARKED,
      });
    }
    const others = [1, 3, 4, 6, 7, 9];
    expect(others.map((index) => after[index])).toEqual(others.map((index) => before[index]));
    expect(await ledger.counts(ISSUE)).toMatchObject({ queued: 0, cancelled: 5 });
  });

  it('counts as mailed the records sent, claimed or unknown, and no other', async () => {
    const { deps } = await setup([
      'sent',
      'queued',
      'unknown',
      'failed',
      'sent',
      'suppressed',
      'claimed',
      'cancelled',
      'unknown',
    ]);

    const found = await markCancelled(deps, ISSUE);

    expect(found).toEqual({ marked: 1, mailed: 5 });
  });

  it('leaves a record another writer moved after the page was read as that writer left it, and does not count it as marked', async () => {
    const { ledger, deps } = await setup(['queued', 'queued', 'queued', 'queued']);
    const moved = subscriber(2).id;
    ledger.beforeUpdate = (subscriberId) => {
      // A sender reaches the record's page and marks it first.
      if (subscriberId === moved) {
        ledger.beforeUpdate = () => {};
        void ledger.update(
          ISSUE,
          moved,
          { status: ['queued'] },
          { status: 'cancelled', claim: null },
          BY_SENDER,
        );
      }
    };

    const { marked } = await markCancelled(deps, ISSUE);

    expect(marked).toBe(3);
    const records = await ledger.list(ISSUE);
    expect(records.map((r) => [r.status, r.updatedAt])).toEqual([
      ['cancelled', MARKED],
      ['cancelled', BY_SENDER],
      ['cancelled', MARKED],
      ['cancelled', MARKED],
    ]);
    expect(await ledger.counts(ISSUE)).toMatchObject({ queued: 0, cancelled: 4 });
  });

  it('marks every queued record of a page longer than the writes it makes at once', async () => {
    const { ledger, deps } = await setup(Array<SendStatus>(40).fill('queued'));
    // The whole ledger in one page: more records than the 16 writes made at a time.
    const onePage = {
      update: ledger.update.bind(ledger),
      async *pages(issueId: string) {
        yield await ledger.list(issueId);
      },
    };

    const found = await markCancelled({ ...deps, ledger: onePage }, ISSUE);

    expect(found).toEqual({ marked: 40, mailed: 0 });
    expect((await ledger.list(ISSUE)).filter((r) => r.status !== 'cancelled')).toEqual([]);
  });

  it('tells after each page how many records it has looked at', async () => {
    // The fake ledger reads three records at a time.
    const { deps } = await setup([
      'queued',
      'sent',
      'queued',
      'queued',
      'failed',
      'queued',
      'queued',
    ]);
    const done: number[] = [];

    await markCancelled(deps, ISSUE, (count) => done.push(count));

    expect(done).toEqual([3, 6, 7]);
  });
});
