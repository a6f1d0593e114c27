import type { SendCounts, SendStatus } from './ports.ts';

/** Every status a ledger record can be in, in the order of its life. */
export const sendStatuses = [
  'queued',
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
