import { describe, expect, it } from 'vitest';
import type { IssueState } from '#core/issues/ports.ts';
import { prepareIssue } from '#core/issues/prepare-issue.ts';
import { storedIssue } from '../fakes/memory-issue-deps.ts';
import { MemorySendQueue } from '../fakes/memory-sending.ts';
import {
  MemoryIssueStore,
  MemorySendLedger,
  MemorySubscriberStore,
} from '../fakes/memory-stores.ts';
import { subscriber } from '../support/subscribers.ts';

const ISSUE = '01JISSUE000000000000000000';

/** An issue of 2,500 subscribers, whose state becomes `state` once its first read is enqueued. */
async function setup(state: IssueState) {
  const subscribers = new MemorySubscriberStore();
  for (let n = 1; n <= 2500; n++) await subscribers.add(subscriber(n));
  const issues = new MemoryIssueStore();
  const issue = storedIssue(ISSUE, { rate: 100 });
  await issues.create(structuredClone(issue));
  const queue = new MemorySendQueue();
  const enqueue = queue.enqueue.bind(queue);
  queue.enqueue = async (messages, delaySeconds) => {
    await enqueue(messages, delaySeconds);
    const stored = issues.items.get(ISSUE);
    if (stored) stored.state = state;
  };
  const deps = {
    config: {
      sendRate: 14,
      sendConcurrency: 2,
      sendPageSize: 100,
      canaryWaitMinutes: 30,
      pauseMinOutcomes: 100,
    },
    subscriberPages: subscribers,
    ledger: new MemorySendLedger(),
    issues,
    queue,
    now: () => new Date('2026-11-27T08:00:00Z'),
  };
  return { deps, issue };
}

describe('prepareIssue, when the issue leaves sending', () => {
  it.each(['paused', 'cancelled'] as const)(
    'stops after the read under way once the issue is %s, leaving the cursor where a resume carries on',
    async (state) => {
      const { deps, issue } = await setup(state);

      const enqueued = await prepareIssue(deps, issue);

      expect(enqueued).toBe(1000);
      expect(deps.queue.subscriberIds).toHaveLength(1000);
      expect(deps.queue.steps).toEqual([]);
      expect(await deps.ledger.list(ISSUE)).toHaveLength(1000);
      const stored = await deps.issues.get(ISSUE);
      expect(stored?.preparedAt).toBeUndefined();
      expect(stored?.prepareCursor).toBe('1000');
    },
  );
});
