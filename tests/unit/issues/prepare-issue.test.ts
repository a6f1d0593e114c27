import { describe, expect, it } from 'vitest';
import type { Issue } from '#core/issues/ports.ts';
import { enqueueUnfinished, prepareIssue } from '#core/issues/prepare-issue.ts';
import { storedIssue } from '../fakes/memory-issue-deps.ts';
import { MemorySendQueue } from '../fakes/memory-sending.ts';
import {
  MemoryIssueStore,
  MemorySendLedger,
  MemorySubscriberStore,
} from '../fakes/memory-stores.ts';
import { subscriber } from '../support/subscribers.ts';

const ISSUE = '01JISSUE000000000000000000';

/** An issue at `rate` for `readers` subscribers, `inactive(n)` of whom left. */
async function setup(
  readers: number,
  options: { rate: number; concurrency?: number; inactive?: (n: number) => boolean },
) {
  const subscribers = new MemorySubscriberStore();
  // Pushed directly: `add` looks for the address among all the others first.
  for (let n = 1; n <= readers; n++) {
    subscribers.items.push(subscriber(n, options.inactive?.(n) ? 'unsubscribed' : 'active'));
  }
  const issue: Issue = storedIssue(ISSUE, {
    createdAt: '2026-11-27T08:00:00Z',
    subject: 'The week in pictures',
    rate: options.rate,
  });
  const deps = {
    config: {
      sendRate: 14,
      sendConcurrency: options.concurrency ?? 2,
      sendPageSize: 100,
      canaryWaitMinutes: 30,
      pauseMinOutcomes: 100,
    },
    subscriberPages: subscribers,
    ledger: new MemorySendLedger(),
    issues: new MemoryIssueStore(),
    queue: new MemorySendQueue(),
    now: () => new Date('2026-11-27T08:00:00Z'),
  };
  await deps.issues.create(structuredClone(issue));
  const active = subscribers.items.filter((s) => s.status === 'active').map((s) => s.id);
  return { deps, issue, active };
}

const sizes = (queue: MemorySendQueue) => queue.messages.map((m) => m.page.subscriberIds.length);

describe('prepareIssue', () => {
  it('enqueues 300 subscribers at 50/s for 2 senders as two rounds of 75', async () => {
    const { deps, issue, active } = await setup(300, { rate: 50 });

    expect(await prepareIssue(deps, issue)).toBe(300);

    expect(sizes(deps.queue)).toEqual([75, 75, 75, 75]);
    expect(deps.queue.subscriberIds).toEqual(active);
  });

  it('cuts each read of 1,000 into whole rounds, so that 1,001 ends with one message alone', async () => {
    const { deps, issue, active } = await setup(1001, { rate: 50 });

    await prepareIssue(deps, issue);

    expect(sizes(deps.queue)).toEqual([...Array(10).fill(100), 1]);
    expect(deps.queue.subscriberIds).toEqual(active);
  });

  it('balances the active subscribers of a read, those who left taking no room', async () => {
    // 300 subscribers, every third gone: 200 to send, at 14/s (pages of 70 at most).
    const { deps, issue, active } = await setup(300, { rate: 14, inactive: (n) => n % 3 === 0 });

    await prepareIssue(deps, issue);

    expect(sizes(deps.queue)).toEqual([50, 50, 50, 50]);
    expect(deps.queue.subscriberIds).toEqual(active);
  });

  it('makes a round of one page per sender for 3 senders', async () => {
    const { deps, issue, active } = await setup(7, { rate: 30, concurrency: 3 });

    await prepareIssue(deps, issue);

    expect(sizes(deps.queue)).toEqual([3, 2, 2]);
    expect(deps.queue.subscriberIds).toEqual(active);
  });

  it('enqueues each of 10,000 subscribers once, in full pages that divide evenly', async () => {
    const { deps, issue, active } = await setup(10_000, { rate: 100 });

    await prepareIssue(deps, issue);

    expect(sizes(deps.queue)).toEqual(Array(100).fill(100));
    expect(deps.queue.subscriberIds).toEqual(active);
  });
});

describe('enqueueUnfinished', () => {
  it('cuts the unfinished recipients as preparing does', async () => {
    const { deps, issue, active } = await setup(2345, { rate: 50 });
    await prepareIssue(deps, issue);
    const sent = new Set(active.filter((_, index) => index % 5 === 0));
    for (const id of sent) {
      await deps.ledger.update(ISSUE, id, { status: ['queued'] }, { status: 'sent' }, 'x');
    }
    deps.queue.messages.length = 0;

    expect(await enqueueUnfinished(deps, issue)).toBe(2345 - sent.size);

    // 1,876 left: 1,000 cut into 10 pages of 100, then the 876 into 5 rounds of 2 pages.
    expect(sizes(deps.queue)).toEqual([
      ...Array(10).fill(100),
      ...Array(6).fill(88),
      ...Array(4).fill(87),
    ]);
    expect(deps.queue.subscriberIds).toEqual(active.filter((id) => !sent.has(id)));
  });
});
