import type { RecipientEventCounts, RecipientEventType, SendCounts, SendStatus } from './ports.ts';

/** Every status a ledger record can be in, in the order of its life. */
export const sendStatuses = [
  'queued',
  'held',
  'claimed',
  'unknown',
  'sent',
  'failed',
  'suppressed',
  'cancelled',
] as const satisfies readonly SendStatus[];

/** Counts of an issue's records by status, the ones given and every other at 0. */
export function sendCounts(some: Partial<SendCounts> = {}): SendCounts {
  const counts = Object.fromEntries(sendStatuses.map((status) => [status, 0])) as SendCounts;
  return { ...counts, ...some };
}

/**
 * Every event a recipient's message is counted for after the send (`SendLedger.recordEvent`),
 * in the order a report shows them: what SES says of the message, then what its reader did.
 */
export const recipientEventTypes = [
  'delivered',
  'bouncedPermanent',
  'bouncedTransient',
  'complained',
  'rejected',
  'delayed',
  'unsubscribed',
  'opened',
  'clicked',
] as const satisfies readonly RecipientEventType[];

/** The events a reader's mail program reports, only while `trackEngagement` is on. */
export const engagementEventTypes = [
  'opened',
  'clicked',
] as const satisfies readonly RecipientEventType[];

/** Counts of an issue's recipient events, the ones given and every other at 0. */
export function recipientEventCounts(
  some: Partial<RecipientEventCounts> = {},
): RecipientEventCounts {
  const counts = Object.fromEntries(
    recipientEventTypes.map((type) => [type, 0]),
  ) as RecipientEventCounts;
  return { ...counts, ...some };
}
