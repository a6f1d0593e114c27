import { describe, expect, it } from 'vitest';
import { finishIssue, STALE_CLAIM_MS } from '#core/issues/issue-status.ts';
import type { Issue } from '#core/issues/ports.ts';
import { resendUnknown } from '#core/issues/resend-unknown.ts';
import type { SendStatus } from '#core/sending/ports.ts';
import { storedIssue } from '../fakes/memory-issue-deps.ts';
import { FakeEventBacklog, MemorySendQueue } from '../fakes/memory-sending.ts';
import { MemoryIssueStore, MemorySendLedger } from '../fakes/memory-stores.ts';

const NOW = new Date('2026-11-27T08:00:00Z');
const issue: Issue = storedIssue('01JISSUE000000000000000000', {
  articleIds: ['a', 'b', 'c'],
  rate: 10,
  preparedAt: '2026-11-27T07:00:01Z',
});

/** A ledger holding one record per status given, ids `s1`, `s2`… */
async function ledgerWith(entries: [SendStatus, string?][]) {
  const ledger = new MemorySendLedger();
  for (const [index, [status, updatedAt]] of entries.entries()) {
    ledger.items.set(`${issue.issueId}/s${index + 1}`, {
      issueId: issue.issueId,
      subscriberId: `s${index + 1}`,
      status,
      ...(status === 'claimed' || status === 'unknown' ? { claim: `c${index + 1}` } : {}),
      updatedAt: updatedAt ?? NOW.toISOString(),
    });
  }
  return ledger;
}

const longAgo = new Date(NOW.getTime() - STALE_CLAIM_MS - 1).toISOString();

describe('finishIssue counting the ledger', () => {
  it('counts the ledger, a claim older than any SES call as unknown and a fresh one as queued', async () => {
    const ledger = await ledgerWith([
      ['queued'],
      ['claimed'],
      ['claimed', longAgo],
      ['unknown'],
      ['sent'],
      ['sent'],
      ['failed'],
      ['suppressed'],
    ]);
    const issues = new MemoryIssueStore();
    await issues.create(issue);
    const deps = { ledger, issues, events: new FakeEventBacklog(), unknownWindowSeconds: 600 };

    const { status, done } = await finishIssue(deps, issue, NOW, { exact: true });

    expect(done).toBe(false);
    expect(status).toEqual({
      issueId: issue.issueId,
      articles: 3,
      recipients: 7,
      queued: 2,
      sent: 2,
      failed: 1,
      unknown: 2,
      suppressed: 1,
      cancelled: 0,
    });
  });
});

describe('finishIssue', () => {
  it.each(['sending', 'paused'] as const)(
    'marks a %s issue sent once every message has its outcome, and frees the sending slot',
    async (state) => {
      const issues = new MemoryIssueStore();
      const underway = { ...issue, state };
      await issues.create(underway);
      await issues.takeSendingSlot(issue.issueId, '2026-11-27T07:00:00.000Z');
      const ledger = await ledgerWith([['sent'], ['failed'], ['suppressed']]);

      const { done } = await finishIssue(
        { ledger, issues, events: new FakeEventBacklog(), unknownWindowSeconds: 600 },
        underway,
        NOW,
      );

      expect(done).toBe(true);
      expect(await issues.get(issue.issueId)).toEqual({
        ...underway,
        state: 'sent',
        timeline: [
          { at: NOW.toISOString(), actor: 'ledger', action: 'sent', detail: '1 message sent' },
        ],
      });
      expect(issues.slot).toBeUndefined();
    },
  );

  it('leaves an issue with an unknown outcome unfinished', async () => {
    const issues = new MemoryIssueStore();
    await issues.create(issue);
    const ledger = await ledgerWith([['sent'], ['unknown']]);

    const { done } = await finishIssue(
      { ledger, issues, events: new FakeEventBacklog(), unknownWindowSeconds: 600 },
      issue,
      NOW,
    );

    expect(done).toBe(false);
    expect(await issues.get(issue.issueId)).toEqual(issue);
  });

  it('never calls an issue sent before its ledger was prepared', async () => {
    const issues = new MemoryIssueStore();
    const unprepared = { ...issue, preparedAt: undefined };
    await issues.create(unprepared);

    const deps = {
      ledger: new MemorySendLedger(),
      issues,
      events: new FakeEventBacklog(),
      unknownWindowSeconds: 600,
    };

    const { done } = await finishIssue(deps, unprepared, NOW);

    expect(done).toBe(false);
    expect((await issues.get(issue.issueId))?.state).toBe('sending');
  });
});

describe('resendUnknown', () => {
  it('queues unknown and stale claimed messages again, and leaves the rest alone', async () => {
    const ledger = await ledgerWith([['unknown'], ['claimed', longAgo], ['claimed'], ['sent']]);
    const queue = new MemorySendQueue();
    const config = { sendPageSize: 100, sendRate: 14, sendConcurrency: 2 };

    const count = await resendUnknown(
      { ledger, queue, config: config as never, now: () => NOW },
      issue,
    );

    expect(count).toBe(2);
    expect(queue.subscriberIds).toEqual(['s1', 's2']);
    expect((await ledger.list(issue.issueId)).map((r) => r.status)).toEqual([
      'queued',
      'queued',
      'claimed',
      'sent',
    ]);
  });
});
