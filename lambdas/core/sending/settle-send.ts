import { withoutAddresses } from '../common/without-addresses.ts';
import type { RecordWrite } from './claim-send.ts';
import { MailNotSentError, MailRejectedError } from './mail-errors.ts';
import type { SendExpectation } from './ports.ts';

/** What SES answered one `SendRawEmail` call: its MessageId, or the error the call threw. */
export type SesAnswer = { messageId: string } | { error: unknown };

/**
 * What a settled attempt means for the recipient:
 * - `sent`: SES took the message;
 * - `failed`: SES refused it for good;
 * - `not-sent`: SES took nothing and the record is `queued` again, so another attempt may
 *   claim it;
 * - `unknown`: SES may or may not have taken it; the record keeps its claim until SES's `Send`
 *   event, or the window, settles it (see `claimableAs`).
 */
export type Settled = 'sent' | 'failed' | 'not-sent' | 'unknown';

/**
 * Writes the outcome of an SES call to the record the attempt claimed: the last step of a
 * send. Every write expects the record to hold this attempt's claim, so a record another
 * attempt took over meanwhile is left alone.
 *
 * - A MessageId: `sent`, with it. The write also accepts a record that is `unknown` or
 *   already `sent` with this claim: SES's `Send` event for this very message may have been
 *   applied before SES's answer came.
 * - `MailRejectedError` (SES `MessageRejected`): `failed`, with the reason (no address).
 * - `MailNotSentError` (throttling, a 5xx, SES not reached): `queued` again, without a claim.
 * - Any other error (a connection broken after the request left, a timeout): `unknown`,
 *   keeping the claim, which the `Send` event names if SES took the message.
 *
 * Should writing the outcome fail, the record keeps its claim and settles like an unknown
 * outcome: after a MessageId that is still right (the `Send` event makes it `sent`), after an
 * error it costs a wait of one window, never a second message.
 * @param now the time each write records
 */
export async function settleSend(
  write: RecordWrite,
  claim: string,
  answer: SesAnswer,
  now: () => Date,
): Promise<Settled> {
  const held: SendExpectation = { status: ['claimed'], claim };
  try {
    if ('messageId' in answer) {
      await write(
        { status: ['claimed', 'unknown', 'sent'], claim },
        { status: 'sent', messageId: answer.messageId },
        now().toISOString(),
      );
      return 'sent';
    }
    const { error } = answer;
    if (error instanceof MailRejectedError) {
      const reason = withoutAddresses(error.message);
      await write(held, { status: 'failed', error: reason }, now().toISOString());
      return 'failed';
    }
    if (error instanceof MailNotSentError) {
      await write(held, { status: 'queued', claim: null }, now().toISOString());
      return 'not-sent';
    }
    await write(held, { status: 'unknown' }, now().toISOString());
  } catch {
    // The record keeps its claim: it settles like an unknown outcome.
  }
  return 'unknown';
}

/**
 * Gives a record its final outcome without sending: `suppressed` for a subscriber who is no
 * longer active, `failed` for one whose message cannot be written. One conditional write on
 * the state `claimableAs` found, as a claim would be, so a record another attempt moved
 * meanwhile is left to that attempt.
 * @returns false when the record was moved meanwhile (nothing was written)
 */
export function settleUnsent(
  write: RecordWrite,
  expected: SendExpectation,
  outcome: { status: 'suppressed' } | { status: 'failed'; error: string },
  at: string,
): Promise<boolean> {
  return write(expected, { ...outcome, claim: null }, at);
}
