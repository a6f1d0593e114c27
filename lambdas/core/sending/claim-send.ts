import type { SendChange, SendExpectation, SendRecord } from './ports.ts';
import { SES_CALL_TIMEOUT_MS } from './send-pacing.ts';

/**
 * A conditional write to one recipient's ledger record (`SendLedger.update` with the issue
 * and the subscriber bound): true when the record was as `expected` and is now changed,
 * false when it was not and nothing was written.
 */
export type RecordWrite = (
  expected: SendExpectation,
  change: SendChange,
  at: string,
) => Promise<boolean>;

/** Seconds before a recipient whose record another attempt moved is looked at again. */
export const RECHECK_SECONDS = 2;

/** What deciding whether a record may be claimed needs. */
export interface ClaimableDeps {
  /** Seconds an unknown outcome waits for SES's `Send` event (`sendUnknownWindowSeconds`). */
  unknownWindowSeconds: number;
  now(): Date;
  /** True when no SES event waits to be applied (`EventBacklog.isDrained`, asked once a page). */
  drained(): Promise<boolean>;
  /**
   * Whether the issue, as read under the sender's lease, has a canary that holds
   * (`canaryHolds`): its `held` records are then left alone.
   */
  canaryHolds: boolean;
}

/**
 * Whether a new attempt may take this record, and so in which state its conditional writes
 * must find it: the first step of a send.
 *
 * - `queued`: claimable, expecting `queued`.
 * - `held`: claimable, expecting `held`, once the canary no longer holds; until then
 *   left alone (`done` for this page: the canary's end enqueues it again).
 * - `claimed` or `unknown`: an earlier attempt called SES, or may have, and nobody knows
 *   whether SES took the message. Claimable only once `unknownWindowSeconds` have passed
 *   since that attempt last wrote the record, and no SES event waits to be applied: had SES
 *   taken the message, its `Send` event would have turned the record `sent` by then. The
 *   expectation then names the record exactly as read (status, claim and `updatedAt`), so
 *   that of the senders that read it, only one takes it over, and none does once anything
 *   (a `Send` event, a renewed claim) changed it.
 * - `sent`, `failed`, `suppressed`: final, nothing to do.
 * @returns `claimable` with the expectation, `later` with the seconds until the window has
 *   passed (or until the SES events may be applied), or `done`
 */
export async function claimableAs(
  record: SendRecord,
  deps: ClaimableDeps,
): Promise<
  | { kind: 'claimable'; expected: SendExpectation }
  | { kind: 'later'; delaySeconds: number }
  | { kind: 'done' }
> {
  if (record.status === 'queued') return { kind: 'claimable', expected: { status: ['queued'] } };
  if (record.status === 'held') {
    return deps.canaryHolds
      ? { kind: 'done' }
      : { kind: 'claimable', expected: { status: ['held'] } };
  }
  if (record.status !== 'claimed' && record.status !== 'unknown') return { kind: 'done' };
  const settles = Date.parse(record.updatedAt) + deps.unknownWindowSeconds * 1000;
  const now = deps.now().getTime();
  if (now < settles) return { kind: 'later', delaySeconds: Math.ceil((settles - now) / 1000) };
  // The window has passed, but the Send event may still wait in the events queue (or its DLQ).
  if (!(await deps.drained())) {
    return { kind: 'later', delaySeconds: backlogRecheckSeconds(deps.unknownWindowSeconds) };
  }
  return {
    kind: 'claimable',
    expected: { status: [record.status], claim: record.claim ?? null, updatedAt: record.updatedAt },
  };
}

/** What claiming a record needs. */
export interface ClaimDeps {
  /** Seconds an unknown outcome waits for SES's `Send` event (`sendUnknownWindowSeconds`). */
  unknownWindowSeconds: number;
  /** A new opaque ULID: the claim of an attempt. */
  newId(): string;
  now(): Date;
  /** Resolves when this sender may make one SES call (its token bucket). */
  takeToken(): Promise<void>;
}

/**
 * Takes a record for one attempt, right before SES is called: the second step of a send.
 *
 * The record moves from `expected` to `claimed` with a new claim id in one conditional write,
 * so of any number of attempts that found it in that state (two senders given the same page,
 * a page SQS delivered twice), exactly one gets it; the others get false and leave the
 * recipient for later. The claim id goes to SES as a tag, so the `Send` event names the
 * attempt that SES took.
 *
 * The sender's token is taken after the claim, so that as little as possible happens between
 * the token and the SES call. Should the wait for it have been long (a very low rate, a
 * stalled process), the claim could be taken over while SES is being called (see
 * `claimableAs`): a claim older than half of what is left of the window once an SES call has
 * had its time is renewed first, with a new id, by a conditional write on the old one.
 * @returns the claim to send with, or undefined when another attempt holds or moved the record
 */
export async function claimSend(
  write: RecordWrite,
  expected: SendExpectation,
  deps: ClaimDeps,
): Promise<string | undefined> {
  const claim = deps.newId();
  const claimedAt = deps.now();
  if (!(await write(expected, { status: 'claimed', claim }, claimedAt.toISOString()))) {
    return undefined;
  }
  await deps.takeToken();
  if (deps.now().getTime() - claimedAt.getTime() <= freshClaimMs(deps.unknownWindowSeconds)) {
    return claim;
  }
  const renewed = deps.newId();
  const kept = await write(
    { status: ['claimed'], claim },
    { status: 'claimed', claim: renewed },
    deps.now().toISOString(),
  );
  return kept ? renewed : undefined;
}

/**
 * How old a claim may be, in milliseconds, when SES is called: another sender may take it
 * over once the window has passed since it was made, so the call (at most
 * `SES_CALL_TIMEOUT_MS`) must end well before that, leaving room for clocks that differ.
 */
function freshClaimMs(unknownWindowSeconds: number): number {
  return (unknownWindowSeconds * 1000 - SES_CALL_TIMEOUT_MS) / 2;
}

/** While SES events wait to be applied, look again after about a quarter of the window. */
function backlogRecheckSeconds(unknownWindowSeconds: number): number {
  return Math.min(60, Math.max(RECHECK_SECONDS, Math.ceil(unknownWindowSeconds / 4)));
}
