import { describe, expect, it } from 'vitest';
import { followIssue } from '#cli/follow-issue.ts';
import type { IssueCanary } from '#core/issues/ports.ts';
import { ledgerRecord, memoryIssueDeps, storedIssue } from '../fakes/memory-issue-deps.ts';
import { MemorySubscriberStore } from '../fakes/memory-stores.ts';
import { subscriber } from '../support/subscribers.ts';

const ISSUE = '01JISSUE000000000000000001';

/** A prepared, sending issue with `canary`: reader 1 sent, readers 2 and 3 held back. */
async function setup(canary: IssueCanary) {
  const deps = memoryIssueDeps(new MemorySubscriberStore(), {
    renderIssue: async () => {
      throw new Error('nothing is rendered here');
    },
    newId: () => '01JNEW00000000000000000001',
    now: () => new Date(),
    archive: async () => {},
  });
  const started = new Date(Date.now() - 60_000).toISOString();
  await deps.issues.create(storedIssue(ISSUE, { preparedAt: started, canary }));
  await ledgerRecord(deps.ledger, ISSUE, subscriber(1).id, 'sent', started);
  for (const n of [2, 3]) await ledgerRecord(deps.ledger, ISSUE, subscriber(n).id, 'held', started);
  const issue = await deps.issues.get(ISSUE);
  if (!issue) throw new Error('the issue was not stored');
  return { deps, issue };
}

describe('followIssue during a canary', () => {
  it('tells once that it waits for the canary, and counts no stall while it does', async () => {
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const { deps, issue } = await setup({ percent: 10, recipients: 1, until });
    const told: IssueCanary[] = [];
    // Paused well after the 1 ms the follower may go without a change.
    const pausing = new Promise<void>((resolve) =>
      setTimeout(() => {
        const stored = deps.issues.items.get(ISSUE);
        if (stored) stored.state = 'paused';
        resolve();
      }, 1_200),
    );

    const outcome = await followIssue(deps, issue, 1, (canary) => told.push(canary));
    await pausing;

    expect(told).toEqual([{ percent: 10, recipients: 1, until }]);
    expect(outcome.stopped?.state).toBe('paused');
    expect(deps.queue.messages).toEqual([]);
  });

  it('ends a canary whose wait is over, enqueuing the held recipients', async () => {
    const until = new Date(Date.now() - 1_000).toISOString();
    const { deps, issue } = await setup({ percent: 10, recipients: 1, until });

    // Nothing sends here: the follower gives up after 300 ms without a change.
    const outcome = await followIssue(deps, issue, 300);

    const ended = await deps.issues.get(ISSUE);
    expect(outcome.done).toBe(false);
    expect(ended?.canary?.endedAt).toBeDefined();
    expect(ended?.timeline.at(-1)).toMatchObject({ actor: 'canary', action: 'canary' });
    expect([...deps.queue.subscriberIds].sort()).toEqual([subscriber(2).id, subscriber(3).id]);
  });
});
