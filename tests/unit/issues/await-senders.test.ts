import { describe, expect, it } from 'vitest';
import { awaitSenders, CLOCK_SKEW_MS } from '#core/issues/await-senders.ts';
import { SendersStillClaimingError } from '#core/issues/senders-still-claiming-error.ts';
import { LEASE_MS } from '#core/sending/issue-lease.ts';
import type { SendLease } from '#core/sending/ports.ts';
import { MemorySendLeases } from '../fakes/memory-send-leases.ts';
import { ManualClock } from '../fakes/memory-sending.ts';

const ISSUE = '01JISSUE000000000000000000';
const SENDER = '01JSENDER00000000000000001';
/** When the pause was stored, on the editor's clock. */
const PAUSED = Date.parse('2026-11-27T08:00:00.000Z');

/** A term of `holder` begun `offset` ms after the pause (negative: before it). */
function term(offset: number, holder = SENDER): SendLease {
  return {
    holder,
    since: new Date(PAUSED + offset).toISOString(),
    until: new Date(PAUSED + offset + LEASE_MS).toISOString(),
  };
}

/**
 * The editor's side, from the pause on: a clock that moves only by the waiter's sleeps, and
 * things the senders do at given times (ms after the pause).
 */
function setup(events: { at: number; run: (leases: MemorySendLeases) => Promise<unknown> }[] = []) {
  const leases = new MemorySendLeases();
  const clock = new ManualClock();
  const pending = [...events].sort((a, b) => a.at - b.at);
  const deps = {
    leases,
    now: () => new Date(PAUSED + clock.time),
    async sleep(ms: number) {
      await clock.sleep(ms);
      while (pending[0] && pending[0].at <= clock.time) await pending.shift()?.run(leases);
    },
  };
  return { leases, clock, deps, wait: () => awaitSenders(deps, ISSUE, new Date(PAUSED)) };
}

describe('awaitSenders', () => {
  it('returns at once when no sender holds a lease on the issue', async () => {
    const { wait, clock, leases } = setup();
    await leases.hold('01JOTHER000000000000000000', term(-1000));

    expect(await wait()).toBe(0);
    expect(clock.sleeps).toEqual([]);
  });

  it('waits for a term begun before the pause until its sender releases it', async () => {
    const { wait, leases } = setup([
      { at: 600, run: (leases) => leases.release(ISSUE, term(-1000)) },
    ]);
    await leases.hold(ISSUE, term(-1000));

    const waited = await wait();

    expect(waited).toBeGreaterThanOrEqual(600);
    expect(waited).toBeLessThan(1000);
  });

  it('stops waiting for a sender once it began a term after the pause, which read it', async () => {
    const { wait, leases } = setup([{ at: 1300, run: (leases) => leases.hold(ISSUE, term(1300)) }]);
    await leases.hold(ISSUE, term(-1000));

    const waited = await wait();

    expect(waited).toBeGreaterThanOrEqual(1300);
    expect(waited).toBeLessThan(2000);
  });

  it('waits for a lease never released until it has expired, allowing for the clocks’ skew', async () => {
    const { wait, leases } = setup();
    await leases.hold(ISSUE, term(-100));

    expect(await wait()).toBe(LEASE_MS - 100 + CLOCK_SKEW_MS);
  });

  it('does not wait for a term begun a skew or more after the pause', async () => {
    const { wait, leases } = setup();
    await leases.hold(ISSUE, term(CLOCK_SKEW_MS));

    expect(await wait()).toBe(0);
  });

  it('waits for a term begun less than a skew after the pause: its sender’s clock may run ahead', async () => {
    const { wait, leases } = setup();
    await leases.hold(ISSUE, term(CLOCK_SKEW_MS - 1));

    expect(await wait()).toBe(CLOCK_SKEW_MS - 1 + LEASE_MS + CLOCK_SKEW_MS);
  });

  it('takes the skew it is given', async () => {
    const { deps, leases } = setup();
    await leases.hold(ISSUE, term(200));

    expect(await awaitSenders(deps, ISSUE, new Date(PAUSED), { skewMs: 100 })).toBe(0);
  });

  it('waits for every sender that may still claim', async () => {
    const { wait, leases } = setup([
      { at: 500, run: (leases) => leases.release(ISSUE, term(-2000, 'a')) },
      { at: 2500, run: (leases) => leases.release(ISSUE, term(-50, 'b')) },
    ]);
    await leases.hold(ISSUE, term(-2000, 'a'));
    await leases.hold(ISSUE, term(-50, 'b'));

    const waited = await wait();

    expect(waited).toBeGreaterThanOrEqual(2500);
    expect(waited).toBeLessThan(3000);
  });

  it('gives up, naming the issue, when a lease stays open longer than any term lasts: a clock is off', async () => {
    const { wait, leases, clock } = setup();
    await leases.hold(ISSUE, { ...term(-100), until: new Date(PAUSED + 60_000).toISOString() });

    const error = await wait().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );

    expect(error).toBeInstanceOf(SendersStillClaimingError);
    expect(String(error)).toContain(ISSUE);
    expect(clock.time).toBe(2 * LEASE_MS + CLOCK_SKEW_MS);
  });
});
