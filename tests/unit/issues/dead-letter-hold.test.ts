import { describe, expect, it } from 'vitest';
import { applySendEvents } from '#core/events/apply-send-events.ts';
import { finishIssue, STALE_CLAIM_MS } from '#core/issues/issue-status.ts';
import type { Issue } from '#core/issues/ports.ts';
import type { SendStatus } from '#core/sending/ports.ts';
import { describeStatus } from '../../../cli/describe-status.ts';
import { storedIssue } from '../fakes/memory-issue-deps.ts';
import { FakeEventBacklog } from '../fakes/memory-sending.ts';
import { MemoryIssueStore, MemorySendLedger } from '../fakes/memory-stores.ts';

// An issue whose last messages have an unknown outcome while an SES event sits in the events
// dead-letter queue: the sender will not send them again (that event may be their `Send`
// event), so finishing the issue is what keeps the next one from waiting forever.

const NOW = new Date('2026-11-27T08:00:00Z');
const WINDOW_SECONDS = 600;
/** Just past the window: any `Send` event SES published has reached the events queue. */
const PAST_WINDOW = new Date(NOW.getTime() - WINDOW_SECONDS * 1000 - 1000).toISOString();
const ISSUE: Issue = storedIssue('01JISSUE000000000000000000', {
  rate: 10,
  preparedAt: '2026-11-27T07:00:01Z',
});

/** An issue store holding the issue, a ledger with one record per entry (`s1`, `s2`…). */
async function setup(entries: [SendStatus, string][]) {
  const issues = new MemoryIssueStore();
  await issues.create(ISSUE);
  const ledger = new MemorySendLedger();
  for (const [index, [status, updatedAt]] of entries.entries()) {
    ledger.items.set(`${ISSUE.issueId}/s${index + 1}`, {
      issueId: ISSUE.issueId,
      subscriberId: `s${index + 1}`,
      status,
      ...(status === 'claimed' || status === 'unknown' ? { claim: `c${index + 1}` } : {}),
      updatedAt,
    });
  }
  const events = new FakeEventBacklog();
  events.deadLettered = true;
  return {
    issues,
    ledger,
    events,
    deps: { issues, ledger, events, unknownWindowSeconds: WINDOW_SECONDS },
  };
}

describe('finishIssue with SES events in the events dead-letter queue', () => {
  it('leaves the issue open while the window has not passed', async () => {
    const justNow = new Date(NOW.getTime() - (WINDOW_SECONDS - 1) * 1000).toISOString();
    const { deps, issues } = await setup([
      ['sent', PAST_WINDOW],
      ['unknown', PAST_WINDOW],
      ['unknown', justNow],
    ]);

    const { done } = await finishIssue(deps, ISSUE, NOW);

    expect(done).toBe(false);
    expect(await issues.get(ISSUE.issueId)).toEqual(ISSUE);
  });

  it('leaves the issue open while the events queue itself holds events: they may settle it', async () => {
    const { deps, events, issues } = await setup([
      ['sent', PAST_WINDOW],
      ['unknown', PAST_WINDOW],
    ]);
    events.queued = true;

    const { done } = await finishIssue(deps, ISSUE, NOW);

    expect(done).toBe(false);
    expect(await issues.get(ISSUE.issueId)).toEqual(ISSUE);
  });

  it('leaves the issue open when no event waits at all: the sender takes the unknowns over', async () => {
    const { deps, events, issues } = await setup([['unknown', PAST_WINDOW]]);
    events.deadLettered = false;

    const { done } = await finishIssue(deps, ISSUE, NOW);

    expect(done).toBe(false);
    expect(await issues.get(ISSUE.issueId)).toEqual(ISSUE);
  });

  it.each([
    ['a queued record', 'queued', PAST_WINDOW],
    ['a claim being sent', 'claimed', new Date(NOW.getTime() - 1000).toISOString()],
  ] as const)('leaves the issue open while %s is left', async (_name, status, updatedAt) => {
    const { deps, issues } = await setup([
      ['unknown', PAST_WINDOW],
      [status, updatedAt],
    ]);

    const { done } = await finishIssue(deps, ISSUE, NOW);

    expect(done).toBe(false);
    expect(await issues.get(ISSUE.issueId)).toEqual(ISSUE);
  });

  it('marks the issue sent, with why, once only the dead-letter queue holds events and every open record is unknown past the window', async () => {
    const staleClaim = new Date(
      NOW.getTime() - Math.max(STALE_CLAIM_MS, WINDOW_SECONDS * 1000) - 1000,
    ).toISOString();
    const { deps, issues, ledger } = await setup([
      ['sent', PAST_WINDOW],
      ['unknown', PAST_WINDOW],
      ['claimed', staleClaim],
      ['suppressed', PAST_WINDOW],
    ]);
    const heldBy = {
      reason: 'events-dead-letter-queue',
      unknown: 2,
      at: NOW.toISOString(),
    } as const;

    const { done, status } = await finishIssue(deps, ISSUE, NOW);

    expect(done).toBe(true);
    expect(status).toMatchObject({ sent: 1, unknown: 2, queued: 0, heldBy });
    expect(await issues.get(ISSUE.issueId)).toEqual({
      ...ISSUE,
      state: 'sent',
      heldBy,
      timeline: [
        {
          at: NOW.toISOString(),
          actor: 'ledger',
          action: 'sent',
          detail: '2 messages of unknown outcome held by the events dead-letter queue',
        },
      ],
    });
    // Counted unknown, not sent again: the records are as they were.
    expect([...ledger.items.values()].map((record) => record.status)).toEqual([
      'sent',
      'unknown',
      'claimed',
      'suppressed',
    ]);
    expect(describeStatus(status, 'sent')).toContain(
      '2 unknown: their SES events wait in the events dead-letter queue; redrive it to settle them',
    );
  });
});

describe('an issue held by the events dead-letter queue, once the queue is redriven', () => {
  it('has its unknown outcomes turned sent by their Send events, and stays sent with its reason', async () => {
    const { deps, issues, ledger, events } = await setup([
      ['sent', PAST_WINDOW],
      ['unknown', PAST_WINDOW],
    ]);
    await finishIssue(deps, ISSUE, NOW);
    events.deadLettered = false;
    const held = await issues.get(ISSUE.issueId);
    if (!held) throw new Error('the issue is gone');

    const resolved = await applySendEvents(
      ledger,
      [{ issueId: ISSUE.issueId, subscriberId: 's2', claim: 'c2', messageId: 'ses-2' }],
      '2026-11-27T09:00:00.000Z',
    );
    const { done, status } = await finishIssue(deps, held, new Date('2026-11-27T09:00:00Z'));

    expect(resolved).toBe(1);
    expect(ledger.items.get(`${ISSUE.issueId}/s2`)).toMatchObject({
      status: 'sent',
      messageId: 'ses-2',
    });
    expect(done).toBe(true);
    expect(status).toMatchObject({
      sent: 2,
      unknown: 0,
      heldBy: { reason: 'events-dead-letter-queue', unknown: 1 },
    });
    expect(describeStatus(status, 'sent')).not.toContain('dead-letter');
  });
});
