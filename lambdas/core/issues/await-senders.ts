import { LEASE_MS } from '../sending/issue-lease.ts';
import type { SendLeases } from '../sending/ports.ts';
import { SendersStillClaimingError } from './senders-still-claiming-error.ts';

/**
 * How far apart two machines' clocks are taken to be at most, in milliseconds: Lambda and an
 * editor's machine keep time by NTP, normally within milliseconds of each other.
 */
export const CLOCK_SKEW_MS = 1_000;

/** Milliseconds between two reads of the leases while waiting. */
const POLL_MS = 250;

/** What waiting for the senders of an issue needs. */
export interface AwaitSendersDeps {
  leases: Pick<SendLeases, 'list'>;
  now(): Date;
  sleep(ms: number): Promise<void>;
}

/**
 * Waits until no sender can claim a record of the issue any more, after its state left
 * `sending` (pause, cancel) by a write that was stored by `since`: take `since` from this
 * machine's clock once that write has returned. Calls to SES already begun may still finish
 * and record their outcome; no new one begins.
 *
 * Why it holds (see `IssueLease`, the sender's side): a sender claims only under a term of
 * its lease that it wrote first, then read the issue after, and whose read said `sending`; it
 * claims nothing from `LEASE_MARGIN_MS` before the term's end, and asks again, under a term
 * that still allows it, before each SES call. A term whose `since` is at least `since +
 * skew` began, whatever the two clocks, after the new state was stored, so its read saw it:
 * nothing is claimed under it. What may still claim is a term begun before that; it stops
 * allowing claims when it is released, when its sender begins a new term (and no claim is
 * let through under the old one from then on), or when it ends: `until + skew` on this
 * clock is past its end on the sender's. So once every lease of the issue is released,
 * renewed from `since + skew` on, or past `until + skew`, no sender claims again. A lease
 * whose times cannot be read is waited for.
 *
 * A term begun before the change ends by `since + skew + LEASE_MS`, so the wait is short:
 * at most `LEASE_MS + 2 × skew` on clocks within the skew.
 * @param since when the new state was stored, at the latest (this machine's clock)
 * @param options `skewMs`: the clock skew allowed (default {@link CLOCK_SKEW_MS});
 *   `timeoutMs`: when to give up (default `2 × LEASE_MS + skewMs`)
 * @returns the milliseconds waited
 * @throws SendersStillClaimingError when a lease begun before the change is still open at
 *   the timeout, which only clocks off by more than the skew explain
 */
export async function awaitSenders(
  deps: AwaitSendersDeps,
  issueId: string,
  since: Date,
  options: { skewMs?: number; timeoutMs?: number } = {},
): Promise<number> {
  const skew = options.skewMs ?? CLOCK_SKEW_MS;
  const timeout = options.timeoutMs ?? 2 * LEASE_MS + skew;
  // Terms that began from here on (on their sender's clock) read the new state.
  const informed = since.getTime() + skew;
  const start = deps.now().getTime();
  for (;;) {
    const leases = await deps.leases.list(issueId);
    const now = deps.now().getTime();
    // Written as "not past" so that a time that cannot be read (NaN) keeps the lease open.
    const open = leases
      .filter((lease) => !(Date.parse(lease.since) >= informed))
      .map((lease) => Date.parse(lease.until) + skew)
      .filter((ends) => !(now >= ends));
    if (open.length === 0) return now - start;
    if (now - start >= timeout)
      throw new SendersStillClaimingError(issueId, open.length, now - start);
    const soonest = Math.min(...open.map((ends) => (Number.isNaN(ends) ? POLL_MS : ends - now)));
    await deps.sleep(Math.max(1, Math.min(POLL_MS, soonest, start + timeout - now)));
  }
}
