import type { RecipientEventType, SendLedger } from '../sending/ports.ts';
import { recipientEventOf } from './recipient-event-of.ts';

/**
 * What counting an SES event did, for the handler's log (ids and types only, no address and
 * no link): `counted` when a count went up; `repeat` when the record had it counted already,
 * or the issue has no such record (a subscriber since forgotten, a message of another list);
 * `none` when the event counts for no issue (`recipientEventOf`).
 */
export type EventCountOutcome =
  | { count: 'counted' | 'repeat'; type: RecipientEventType; issueId: string }
  | { count: 'none' };

/**
 * Counts an SES event for the issue whose message it is about (`recipientEventOf`): each
 * recipient once per event type, and once per link for clicks, however often SQS delivers
 * the event (`SendLedger.recordEvent` keeps what it counted on the record). An event for a
 * record that is not in the ledger is passed over without error. Events of test messages
 * never count, and opens and clicks only while `trackEngagement` is on.
 */
export async function countRecipientEvent(
  ledger: Pick<SendLedger, 'recordEvent'>,
  sesEvent: Record<string, unknown>,
  options: { trackEngagement: boolean; now: Date },
): Promise<EventCountOutcome> {
  const countable = recipientEventOf(sesEvent, options);
  if (!countable) return { count: 'none' };
  const { issueId, subscriberId, event, at } = countable;
  const counted = await ledger.recordEvent(issueId, subscriberId, event, at);
  return { count: counted ? 'counted' : 'repeat', type: event.type, issueId };
}
