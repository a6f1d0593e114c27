import { describe, expect, it } from 'vitest';
import { CLOCK_SKEW_MS } from '#core/issues/await-senders.ts';
import { cancelIssue } from '#core/issues/cancel-issue.ts';
import { draftIssue } from '#core/issues/draft-issue.ts';
import { finishCancel } from '#core/issues/finish-cancel.ts';
import { carriesArticles } from '#core/issues/issue-state.ts';
import { IssueStateError } from '#core/issues/issue-state-error.ts';
import type { IssueState } from '#core/issues/ports.ts';
import { startIssue } from '#core/issues/start-issue.ts';
import { LEASE_MS } from '#core/sending/issue-lease.ts';
import type { SendLease, SendStatus } from '#core/sending/ports.ts';
import {
  ledgerRecord,
  memoryIssueDeps,
  storedIssue,
  templateRender,
} from '../fakes/memory-issue-deps.ts';
import { ManualClock } from '../fakes/memory-sending.ts';
import { MemorySubscriberStore } from '../fakes/memory-stores.ts';
import { article } from '../support/articles.ts';
import { subscriber } from '../support/subscribers.ts';

const ISSUE = '01JISSUE000000000000000001';
const EDITOR = 'cli:editor';
const SENDER = '01JSENDER00000000000000001';
const STARTED = '2026-11-27T07:00:00.000Z';
/** When the editor cancels: the test clock's time 0. */
const CANCELLED = Date.parse('2026-11-27T08:00:00.000Z');
const CANCELLED_AT = new Date(CANCELLED).toISOString();

/** A term of the sender's lease begun `offset` ms after the cancel (negative: before it). */
function term(offset: number): SendLease {
  return {
    holder: SENDER,
    since: new Date(CANCELLED + offset).toISOString(),
    until: new Date(CANCELLED + offset + LEASE_MS).toISOString(),
  };
}

/**
 * Issue dependencies on the fakes with an issue in `state` holding the list's sending slot
 * (unless a draft), a clock that moves only by the cancel's sleeps, and things the senders do
 * once the clock reaches a time (ms after the cancel).
 */
async function setup(state: IssueState) {
  const clock = new ManualClock();
  const events: { at: number; run: () => Promise<unknown> }[] = [];
  const subscribers = new MemorySubscriberStore();
  let counter = 0;
  const deps = memoryIssueDeps(subscribers, {
    renderIssue: templateRender,
    newId: () => `01JDRAFT${String(++counter).padStart(18, '0')}`,
    now: () => new Date(CANCELLED + clock.time),
    archive: async () => {},
    async sleep(ms: number) {
      await clock.sleep(ms);
      events.sort((a, b) => a.at - b.at);
      while (events[0] && events[0].at <= clock.time) await events.shift()?.run();
    },
  });
  await deps.issues.create(storedIssue(ISSUE, { state }));
  if (state !== 'draft') await deps.issues.takeSendingSlot(ISSUE, STARTED);
  /** Runs `run` once the clock has reached `at`. */
  const when = (at: number, run: () => Promise<unknown>) => events.push({ at, run });
  /** Gives reader `n` a record of the issue in `status`. */
  const record = (n: number, status: SendStatus) =>
    ledgerRecord(deps.ledger, ISSUE, subscriber(n).id, status, STARTED);
  return { deps, clock, when, record, subscribers };
}

describe('cancelIssue', () => {
  it('cancels a draft at once, as mailing nobody, without waiting for any lease', async () => {
    const { deps, clock } = await setup('draft');
    // Had the cancel waited for it, the clock would have moved.
    await deps.leases.hold(ISSUE, term(-1000));

    const cancelled = await cancelIssue(deps, ISSUE, EDITOR);

    const stored = await deps.issues.get(ISSUE);
    expect(stored).toMatchObject({ state: 'cancelled', mailedNobody: true });
    expect(stored?.timeline).toEqual([{ at: CANCELLED_AT, actor: EDITOR, action: 'cancel' }]);
    expect(cancelled).toEqual({ issue: stored, inFlight: 0, waitedMs: 0 });
    expect(clock.sleeps).toEqual([]);
  });

  it.each(['sending', 'paused'] as const)(
    'cancels a %s issue and frees the list’s sending slot, so the next issue starts',
    async (state) => {
      const { deps, subscribers } = await setup(state);
      subscribers.items.push(subscriber(1));
      await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);

      const cancelled = await cancelIssue(deps, ISSUE, EDITOR);

      const stored = await deps.issues.get(ISSUE);
      expect(stored?.state).toBe('cancelled');
      expect(stored?.timeline).toEqual([{ at: CANCELLED_AT, actor: EDITOR, action: 'cancel' }]);
      expect(cancelled.issue).toEqual(stored);
      expect(deps.issues.slot).toBeUndefined();
      const next = await draftIssue(deps, {}, EDITOR);
      const started = await startIssue(deps, next?.issue.issueId ?? '', EDITOR);
      expect(started.issue.state).toBe('sending');
      expect(deps.issues.slot?.issueId).toBe(next?.issue.issueId);
    },
  );

  it('with handOff, stops the issue and hands the marking on untouched; finishCancel then marks every queued record and frees the articles of an issue that mailed nobody', async () => {
    const { deps, record } = await setup('sending');
    for (const n of [1, 2, 3]) await record(n, 'queued');
    const handedOff: string[] = [];

    const cancelled = await cancelIssue(deps, ISSUE, EDITOR, {
      handOff: async (issueId) => {
        handedOff.push(issueId);
      },
    });
    const before = await deps.ledger.counts(ISSUE);
    const finished = await finishCancel(deps, ISSUE);

    expect(cancelled).toMatchObject({ handedOff: true, issue: { state: 'cancelled' } });
    expect(handedOff).toEqual([ISSUE]);
    expect(before).toMatchObject({ queued: 3, cancelled: 0 });
    expect(finished).toEqual({ marked: 3, mailed: 0 });
    expect(await deps.ledger.counts(ISSUE)).toMatchObject({ queued: 0, cancelled: 3 });
    expect(await deps.issues.get(ISSUE)).toMatchObject({ mailedNobody: true });
  });

  it('marks every queued record cancelled, leaving sent, claimed and unknown ones as they were', async () => {
    const { deps, record } = await setup('sending');
    for (const n of [1, 3, 5, 7]) await record(n, 'queued');
    const untouched = [
      await record(2, 'sent'),
      await record(4, 'claimed'),
      await record(6, 'unknown'),
      await record(8, 'failed'),
      await record(9, 'suppressed'),
    ];

    const cancelled = await cancelIssue(deps, ISSUE, EDITOR);

    const records = await deps.ledger.list(ISSUE);
    for (const n of [1, 3, 5, 7]) {
      expect(records.find((r) => r.subscriberId === subscriber(n).id)).toMatchObject({
        status: 'cancelled',
        updatedAt: CANCELLED_AT,
      });
    }
    expect(records.filter((r) => r.status !== 'cancelled')).toEqual(untouched);
    expect(await deps.ledger.counts(ISSUE)).toEqual({
      queued: 0,
      held: 0,
      claimed: 1,
      unknown: 1,
      sent: 1,
      failed: 1,
      suppressed: 1,
      cancelled: 4,
    });
    expect(cancelled.inFlight).toBe(1);
  });

  it.each(['sent', 'claimed', 'unknown'] as const)(
    'keeps the articles carried when a record is %s: somebody was, or may have been, mailed',
    async (status) => {
      const { deps, record } = await setup('paused');
      await record(1, 'queued');
      await record(2, status);
      await record(3, 'suppressed');

      const cancelled = await cancelIssue(deps, ISSUE, EDITOR);

      const stored = await deps.issues.get(ISSUE);
      expect(stored?.mailedNobody).toBeUndefined();
      expect(cancelled.issue.mailedNobody).toBeUndefined();
      expect(stored && carriesArticles(stored)).toBe(true);
    },
  );

  it('records that nobody was mailed when no record was sent, claimed or unknown, freeing its articles', async () => {
    const { deps, record } = await setup('sending');
    await record(1, 'queued');
    await record(2, 'failed');
    await record(3, 'suppressed');
    await record(4, 'queued');

    const cancelled = await cancelIssue(deps, ISSUE, EDITOR);

    const stored = await deps.issues.get(ISSUE);
    expect(stored?.mailedNobody).toBe(true);
    expect(cancelled.issue.mailedNobody).toBe(true);
    expect(stored && carriesArticles(stored)).toBe(false);
  });

  it('waits for a sender whose term began before the cancel, and counts a record it claimed meanwhile as mailed', async () => {
    const { deps, record, when } = await setup('sending');
    await record(1, 'queued');
    await record(2, 'queued');
    await deps.leases.hold(ISSUE, term(-1000));
    // The sender's last claim under its term, then it lets go.
    when(600, async () => {
      await deps.ledger.update(
        ISSUE,
        subscriber(1).id,
        { status: ['queued'] },
        { status: 'claimed', claim: 'claim-late' },
        CANCELLED_AT,
      );
      await deps.leases.release(ISSUE, term(-1000));
    });

    const cancelled = await cancelIssue(deps, ISSUE, EDITOR);

    expect(cancelled.waitedMs).toBeGreaterThanOrEqual(600);
    expect(cancelled.inFlight).toBe(1);
    expect((await deps.ledger.list(ISSUE)).map((r) => r.status)).toEqual(['claimed', 'cancelled']);
    expect((await deps.issues.get(ISSUE))?.mailedNobody).toBeUndefined();
  });

  it('waits for a lease its sender never releases until its term has ended, allowing for the skew', async () => {
    const { deps, clock } = await setup('paused');
    await deps.leases.hold(ISSUE, term(-100));

    const { waitedMs } = await cancelIssue(deps, ISSUE, EDITOR);

    expect(waitedMs).toBe(LEASE_MS - 100 + CLOCK_SKEW_MS);
    expect(clock.time).toBe(waitedMs);
  });

  it('tells onStopped once the senders have stopped and the slot is free, before marking, then onMarked after each page', async () => {
    const { deps, record, when } = await setup('sending');
    // Seven records: the fake ledger reads them three at a time.
    for (let n = 1; n <= 7; n++) await record(n, n === 4 ? 'sent' : 'queued');
    await deps.leases.hold(ISSUE, term(-1000));
    when(600, () => deps.leases.release(ISSUE, term(-1000)));
    const told: string[] = [];
    deps.ledger.beforeUpdate = (subscriberId) => {
      told.push(`update ${subscriberId.slice(-1)}`);
    };

    const cancelled = await cancelIssue(deps, ISSUE, EDITOR, {
      onStopped: (stopped) => {
        told.push(
          `stopped after ${stopped.waitedMs} ms, ${stopped.issue.state}, slot ${deps.issues.slot ? 'held' : 'free'}`,
        );
      },
      onMarked: (done) => {
        told.push(`marked ${done}`);
      },
    });

    expect(told).toEqual([
      `stopped after ${cancelled.waitedMs} ms, cancelled, slot free`,
      'update 1',
      'update 2',
      'update 3',
      'marked 3',
      'update 5',
      'update 6',
      'marked 6',
      'update 7',
      'marked 7',
    ]);
    expect(cancelled.waitedMs).toBeGreaterThanOrEqual(600);
  });

  it.each(['sent', 'cancelled'] as const)(
    'refuses to cancel a %s issue, naming its state and changing nothing',
    async (state) => {
      const { deps, record } = await setup(state);
      await record(1, 'queued');
      await record(2, 'sent');
      const before = {
        issue: await deps.issues.get(ISSUE),
        slot: deps.issues.slot && { ...deps.issues.slot },
        records: await deps.ledger.list(ISSUE),
        counts: await deps.ledger.counts(ISSUE),
      };

      const refusal = cancelIssue(deps, ISSUE, EDITOR);

      await expect(refusal).rejects.toThrow(IssueStateError);
      await expect(refusal).rejects.toThrow(`Issue ${ISSUE} is ${state}`);
      expect({
        issue: await deps.issues.get(ISSUE),
        slot: deps.issues.slot,
        records: await deps.ledger.list(ISSUE),
        counts: await deps.ledger.counts(ISSUE),
      }).toEqual(before);
    },
  );
});
