import { describe, expect, it } from 'vitest';
import { draftIssue } from '#core/issues/draft-issue.ts';
import { issueReport } from '#core/issues/issue-report.ts';
import { emptyStatus } from '#core/issues/issue-status.ts';
import type { Issue } from '#core/issues/ports.ts';
import { enqueueUnfinished, type PrepareDeps, prepareIssue } from '#core/issues/prepare-issue.ts';
import { canarySize, startCanary } from '#core/issues/start-canary.ts';
import { startIssue } from '#core/issues/start-issue.ts';
import { memoryIssueDeps, storedIssue, templateRender } from '../fakes/memory-issue-deps.ts';
import { MemorySendQueue } from '../fakes/memory-sending.ts';
import {
  MemoryIssueStore,
  MemorySendLedger,
  MemorySubscriberStore,
} from '../fakes/memory-stores.ts';
import { article } from '../support/articles.ts';
import { subscriber } from '../support/subscribers.ts';

const ISSUE = '01JISSUE000000000000000000';
const NOW = '2026-11-27T08:00:00.000Z';
const UNTIL = '2026-11-27T08:30:00.000Z';

/**
 * A sending issue with a canary of `percent`, not prepared yet, for `readers` subscribers of
 * whom every tenth left; the canary takes at least `minimum` and waits 30 minutes.
 */
async function setup(
  readers: number,
  options: { percent: number; minimum?: number; random?: () => number },
) {
  const subscribers = new MemorySubscriberStore();
  // Pushed directly: `add` looks for the address among all the others first.
  for (let n = 1; n <= readers; n++) {
    subscribers.items.push(subscriber(n, n % 10 === 0 ? 'unsubscribed' : 'active'));
  }
  const issue: Issue = storedIssue(ISSUE, { rate: 50, canary: { percent: options.percent } });
  const deps: PrepareDeps = {
    config: {
      sendRate: 14,
      sendConcurrency: 2,
      sendPageSize: 100,
      canaryWaitMinutes: 30,
      pauseMinOutcomes: options.minimum ?? 100,
    },
    subscriberPages: subscribers,
    ledger: new MemorySendLedger(),
    issues: new MemoryIssueStore(),
    queue: new MemorySendQueue(),
    now: () => new Date(NOW),
    ...(options.random ? { random: options.random } : {}),
  };
  await deps.issues.create(structuredClone(issue));
  const active = subscribers.items.filter((s) => s.status === 'active').map((s) => s.id);
  const queue = deps.queue as MemorySendQueue;
  const ledger = deps.ledger as MemorySendLedger;
  /** The ids of the issue's records in `status`, in ledger order. */
  const withStatus = async (status: string) =>
    (await ledger.list(ISSUE)).filter((r) => r.status === status).map((r) => r.subscriberId);
  return { deps, issue, active, queue, ledger, withStatus };
}

/** A small generator of numbers in [0, 1) from a seed (mulberry32): the same run every time. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe('canarySize', () => {
  it('takes the share rounded up when it is above the minimum', () => {
    expect(canarySize(4000, 3, 100)).toBe(120);
    expect(canarySize(1001, 10, 100)).toBe(101);
  });

  it('takes the minimum when the share is below it', () => {
    expect(canarySize(4000, 1, 100)).toBe(100);
  });

  it('takes every held recipient when there are fewer than it would take', () => {
    expect(canarySize(80, 5, 100)).toBe(80);
    expect(canarySize(0, 5, 100)).toBe(0);
  });
});

describe('prepareIssue with a canary', () => {
  it('holds every active subscriber back, then moves exactly the canary to queued and enqueues only it', async () => {
    // 1,200 readers, two reads of the list; 1,080 active: 10 % is 108, above the minimum.
    const { deps, issue, active, queue, withStatus } = await setup(1200, { percent: 10 });

    const enqueued = await prepareIssue(deps, issue);

    const queued = await withStatus('queued');
    const held = await withStatus('held');
    expect(enqueued).toBe(108);
    expect(queued).toHaveLength(108);
    expect(held).toHaveLength(1080 - 108);
    expect([...queue.subscriberIds].sort()).toEqual(queued);
    expect(new Set([...queued, ...held])).toEqual(new Set(active));
    expect(await withStatus('suppressed')).toHaveLength(120);
  });

  it('records the canary’s size and wait, with a timeline entry that names no address', async () => {
    const { deps, issue } = await setup(1200, { percent: 10 });

    await prepareIssue(deps, issue);

    const stored = await deps.issues.get(ISSUE);
    expect(stored?.canary).toEqual({ percent: 10, recipients: 108, until: UNTIL });
    expect(stored?.preparedAt).toBe(NOW);
    expect(stored?.timeline).toEqual([
      {
        at: NOW,
        actor: 'canary',
        action: 'canary',
        detail: 'canary: 108 of 1,080 recipients; the rest from 2026-11-27 08:30 UTC',
      },
    ]);
    expect(issueReport(stored as Issue, emptyStatus).canary).toEqual(stored?.canary);
  });

  it('takes the minimum when the share is smaller, and cuts its pages as preparing does', async () => {
    const { deps, issue, queue } = await setup(1200, { percent: 1, minimum: 100 });

    await prepareIssue(deps, issue);

    expect(queue.subscriberIds).toHaveLength(100);
    // 100 at 50/s for 2 senders: one round of two pages.
    expect(queue.messages.map((m) => m.page.subscriberIds.length)).toEqual([50, 50]);
  });

  it('picks by the random numbers it is given: the first held records at 0, the last near 1', async () => {
    const low = await setup(300, { percent: 10, minimum: 20, random: () => 0 });
    const high = await setup(300, { percent: 10, minimum: 20, random: () => 0.999_999 });

    await prepareIssue(low.deps, low.issue);
    await prepareIssue(high.deps, high.issue);

    // 270 active: 27 picked.
    expect(await low.withStatus('queued')).toEqual(low.active.slice(0, 27));
    expect(await high.withStatus('queued')).toEqual(high.active.slice(-27));
  });

  it('sends to everyone at once, with no wait, when the list is smaller than the minimum', async () => {
    const { deps, issue, active, queue, withStatus } = await setup(50, { percent: 10 });

    const enqueued = await prepareIssue(deps, issue);

    const stored = await deps.issues.get(ISSUE);
    expect(enqueued).toBe(45);
    expect(await withStatus('queued')).toEqual(active);
    expect(await withStatus('held')).toEqual([]);
    expect([...queue.subscriberIds].sort()).toEqual(active);
    expect(stored?.canary).toEqual({ percent: 10, recipients: 45, endedAt: NOW });
    expect(stored?.timeline.at(-1)?.detail).toBe('canary: all 45 recipients at once, no wait');
  });

  it('picks one canary when two processes prepare the last read of the list at once', async () => {
    // One read of 300: both processes reach the end of the list.
    const { deps, issue, queue, withStatus } = await setup(300, { percent: 10, minimum: 20 });

    const counts = await Promise.all([
      prepareIssue(deps, structuredClone(issue)),
      prepareIssue(deps, structuredClone(issue)),
    ]);

    expect(counts[0] + counts[1]).toBe(27);
    expect(await withStatus('queued')).toHaveLength(27);
    expect(queue.subscriberIds).toHaveLength(27);
    const entries = (await deps.issues.get(ISSUE))?.timeline ?? [];
    expect(entries.filter((entry) => entry.action === 'canary')).toHaveLength(1);
  });

  it('leaves the held records off the work list put back while the canary holds', async () => {
    const { deps, issue, queue, withStatus } = await setup(300, { percent: 10, minimum: 20 });
    await prepareIssue(deps, issue);
    queue.messages.length = 0;

    const restored = await enqueueUnfinished(deps, (await deps.issues.get(ISSUE)) as Issue);

    expect(restored).toBe(27);
    expect([...queue.subscriberIds].sort()).toEqual(await withStatus('queued'));
  });
});

describe('startCanary', () => {
  it('picks each held record about equally often over many canaries', async () => {
    const random = seeded(12);
    const picks = new Map<string, number>();
    const runs = 2000;
    for (let run = 0; run < runs; run++) {
      const ledger = new MemorySendLedger();
      const issues = new MemoryIssueStore();
      const issue = storedIssue(ISSUE, { canary: { percent: 30 } });
      await issues.create(issue);
      const ids = Array.from({ length: 10 }, (_, index) => subscriber(index + 1).id);
      await ledger.addMissing(
        ISSUE,
        ids.map((subscriberId) => ({ subscriberId, status: 'held' })),
        NOW,
      );
      const deps = {
        config: {
          sendRate: 14,
          sendConcurrency: 2,
          sendPageSize: 100,
          canaryWaitMinutes: 30,
          pauseMinOutcomes: 1,
        },
        ledger,
        issues,
        queue: new MemorySendQueue(),
        now: () => new Date(NOW),
        random,
      };

      expect(await startCanary(deps, issue)).toBe(3);

      for (const record of await ledger.list(ISSUE)) {
        if (record.status === 'queued') {
          picks.set(record.subscriberId, (picks.get(record.subscriberId) ?? 0) + 1);
        }
      }
    }
    // 3 of 10 each time: every record is expected 600 times in 2,000 canaries.
    expect(picks.size).toBe(10);
    for (const count of picks.values()) {
      expect(count).toBeGreaterThan(520);
      expect(count).toBeLessThan(680);
    }
  });
});

describe('startIssue with canaryPercent', () => {
  it('starts the issue with its canary, and says so in the timeline', async () => {
    const subscribers = new MemorySubscriberStore();
    for (let n = 1; n <= 3; n++) subscribers.items.push(subscriber(n));
    let counter = 0;
    const deps = memoryIssueDeps(subscribers, {
      renderIssue: templateRender,
      newId: () => `01JDRAFT${String(++counter).padStart(18, '0')}`,
      now: () => new Date(NOW),
      archive: async () => {},
    });
    deps.config.canaryPercent = 5;
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    const drafted = await draftIssue(deps, {}, 'cli:editor');
    const issueId = drafted?.issue.issueId ?? '';

    const { issue } = await startIssue(deps, issueId, 'cli:editor', { rate: 20 });

    expect(issue.canary).toEqual({ percent: 5 });
    expect(issue.timeline.at(-1)).toMatchObject({
      action: 'send',
      detail: 'version 1 at 20 messages/s, first to a canary of 5 %',
    });
    // Three readers, fewer than the 100 a canary takes at least: all of them at once.
    expect((await deps.issues.get(issueId))?.canary).toEqual({
      percent: 5,
      recipients: 3,
      endedAt: NOW,
    });
  });

  it('starts the issue without a canary when canaryPercent is 0', async () => {
    const subscribers = new MemorySubscriberStore();
    subscribers.items.push(subscriber(1));
    const deps = memoryIssueDeps(subscribers, {
      renderIssue: templateRender,
      newId: () => '01JDRAFT000000000000000001',
      now: () => new Date(NOW),
      archive: async () => {},
    });
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    const drafted = await draftIssue(deps, {}, 'cli:editor');

    const { issue } = await startIssue(deps, drafted?.issue.issueId ?? '', 'cli:editor');

    expect(issue.canary).toBeUndefined();
    expect(await deps.ledger.list(issue.issueId)).toMatchObject([{ status: 'queued' }]);
  });
});
