import { describe, expect, it } from 'vitest';
import { CLOCK_SKEW_MS } from '#core/issues/await-senders.ts';
import { IssueStateError } from '#core/issues/issue-state-error.ts';
import { pauseIssue } from '#core/issues/pause-issue.ts';
import { LEASE_MS } from '#core/sending/issue-lease.ts';
import type { SendLease } from '#core/sending/ports.ts';
import {
  ledgerRecord,
  memoryIssueDeps,
  storedIssue,
  templateRender,
} from '../fakes/memory-issue-deps.ts';
import { ManualClock } from '../fakes/memory-sending.ts';
import { MemorySubscriberStore } from '../fakes/memory-stores.ts';
import { subscriber } from '../support/subscribers.ts';

const ISSUE = '01JISSUE000000000000000001';
const EDITOR = 'cli:editor';
const SENDER = '01JSENDER00000000000000001';
/** When the editor pauses: the test clock's time 0. */
const PAUSED = Date.parse('2026-11-27T08:00:00.000Z');
const PAUSED_AT = new Date(PAUSED).toISOString();

/** A term of the sender's lease begun `offset` ms after the pause (negative: before it). */
function term(offset: number): SendLease {
  return {
    holder: SENDER,
    since: new Date(PAUSED + offset).toISOString(),
    until: new Date(PAUSED + offset + LEASE_MS).toISOString(),
  };
}

/**
 * Issue dependencies on the fakes whose clock moves only by the pause's sleeps, and things
 * the senders do once the clock reaches a time (ms after the pause).
 */
async function setup(state: 'sending' | 'draft' | 'paused' | 'sent' | 'cancelled' = 'sending') {
  const clock = new ManualClock();
  const events: { at: number; run: () => Promise<unknown> }[] = [];
  const deps = memoryIssueDeps(new MemorySubscriberStore(), {
    renderIssue: templateRender,
    newId: () => '01JUNUSED00000000000000000',
    now: () => new Date(PAUSED + clock.time),
    archive: async () => {},
    async sleep(ms: number) {
      await clock.sleep(ms);
      events.sort((a, b) => a.at - b.at);
      while (events[0] && events[0].at <= clock.time) await events.shift()?.run();
    },
  });
  await deps.issues.create(storedIssue(ISSUE, { state }));
  /** Runs `run` once the clock has reached `at`. */
  const when = (at: number, run: () => Promise<unknown>) => events.push({ at, run });
  return { deps, clock, when };
}

describe('pauseIssue', () => {
  it('pauses a sending issue, with the editor and the time in its timeline', async () => {
    const { deps } = await setup();

    const paused = await pauseIssue(deps, ISSUE, EDITOR);

    const stored = await deps.issues.get(ISSUE);
    expect(stored?.state).toBe('paused');
    expect(stored?.timeline).toEqual([{ at: PAUSED_AT, actor: EDITOR, action: 'pause' }]);
    expect(paused).toEqual({ issue: stored, inFlight: 0, waitedMs: 0 });
  });

  it.each(['draft', 'paused', 'sent', 'cancelled'] as const)(
    'refuses to pause a %s issue, naming its state and changing nothing',
    async (state) => {
      const { deps } = await setup(state);
      const before = await deps.issues.get(ISSUE);

      const refusal = pauseIssue(deps, ISSUE, EDITOR);

      await expect(refusal).rejects.toThrow(IssueStateError);
      await expect(refusal).rejects.toThrow(`Issue ${ISSUE} is ${state}`);
      expect(await deps.issues.get(ISSUE)).toEqual(before);
    },
  );

  it('waits for a sender whose term began before the pause until it releases its lease', async () => {
    const { deps, when } = await setup();
    await deps.leases.hold(ISSUE, term(-1000));
    const seenBySender: string[] = [];
    when(600, async () => {
      seenBySender.push((await deps.issues.get(ISSUE))?.state ?? 'none');
      await deps.leases.release(ISSUE, term(-1000));
    });

    const { waitedMs } = await pauseIssue(deps, ISSUE, EDITOR);

    // The pause was stored before the wait: the sender's last read already found it.
    expect(seenBySender).toEqual(['paused']);
    expect(waitedMs).toBeGreaterThanOrEqual(600);
    expect(waitedMs).toBeLessThan(1000);
  });

  it('waits for a lease its sender never releases until its term has ended, allowing for the clocks’ skew', async () => {
    const { deps, clock } = await setup();
    await deps.leases.hold(ISSUE, term(-100));

    const { waitedMs } = await pauseIssue(deps, ISSUE, EDITOR);

    expect(waitedMs).toBe(LEASE_MS - 100 + CLOCK_SKEW_MS);
    expect(clock.time).toBe(waitedMs);
  });

  it('does not wait for a sender whose term began a skew or more after the pause was stored', async () => {
    const { deps, clock } = await setup();
    await deps.leases.hold(ISSUE, term(CLOCK_SKEW_MS));

    const { waitedMs } = await pauseIssue(deps, ISSUE, EDITOR);

    expect(waitedMs).toBe(0);
    expect(clock.sleeps).toEqual([]);
  });

  it('counts the terms to wait for from when the pause write returned, not from when it was asked', async () => {
    const { deps, clock } = await setup();
    // The conditional write takes 300 ms to come back.
    const move = deps.issues.move.bind(deps.issues);
    deps.issues.move = async (issueId, change) => {
      const moved = await move(issueId, change);
      clock.time += 300;
      return moved;
    };
    // Begun a skew after the pause was asked, but not a skew after it was stored: its read
    // may have come before the write landed.
    await deps.leases.hold(ISSUE, term(CLOCK_SKEW_MS + 100));

    const { issue, waitedMs } = await pauseIssue(deps, ISSUE, EDITOR);

    expect(issue.timeline).toEqual([{ at: PAUSED_AT, actor: EDITOR, action: 'pause' }]);
    expect(waitedMs).toBe(CLOCK_SKEW_MS + 100 + LEASE_MS + CLOCK_SKEW_MS - 300);
  });

  it('reports as in flight the records still claimed once the senders have stopped', async () => {
    const { deps, when } = await setup();
    const one = subscriber(1).id;
    await ledgerRecord(deps.ledger, ISSUE, one, 'claimed', PAUSED_AT);
    await ledgerRecord(deps.ledger, ISSUE, subscriber(2).id, 'claimed', PAUSED_AT);
    await ledgerRecord(deps.ledger, ISSUE, subscriber(3).id, 'sent', PAUSED_AT);
    await ledgerRecord(deps.ledger, ISSUE, subscriber(4).id, 'queued', PAUSED_AT);
    await deps.leases.hold(ISSUE, term(-1000));
    // While the pause waits, SES answers one of the two calls and the sender lets go.
    when(600, async () => {
      await deps.ledger.update(
        ISSUE,
        one,
        { status: ['claimed'], claim: `claim-${one}` },
        { status: 'sent', messageId: 'ses-late' },
        PAUSED_AT,
      );
      await deps.leases.release(ISSUE, term(-1000));
    });

    const { inFlight } = await pauseIssue(deps, ISSUE, EDITOR);

    expect(inFlight).toBe(1);
  });
});
