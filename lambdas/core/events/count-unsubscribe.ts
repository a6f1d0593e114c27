import type { SendLedger } from '../sending/ports.ts';

/**
 * Counts an unsubscribe through an issue's link or its `List-Unsubscribe` header (the token
 * names the issue) as that issue's `unsubscribed`, once per recipient. The subscriber has
 * left by then, whatever happens here: a count that cannot be written is lost rather than
 * turned into an error page for someone whose unsubscribe worked.
 * @returns true when it was counted; false for a repeat, a recipient the issue has no record
 *   of, or a write that failed
 */
export async function countUnsubscribe(
  ledger: Pick<SendLedger, 'recordEvent'>,
  issueId: string,
  subscriberId: string,
  at: string,
): Promise<boolean> {
  try {
    return await ledger.recordEvent(issueId, subscriberId, { type: 'unsubscribed' }, at);
  } catch {
    return false;
  }
}
