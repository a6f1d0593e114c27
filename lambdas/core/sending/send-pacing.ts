/**
 * Milliseconds within which an SES call ends, with SES's answer or a timeout (the SES
 * client's request timeout). A claim older than the unknown window plus this can only belong
 * to an attempt that is over.
 */
export const SES_CALL_TIMEOUT_MS = 5_000;

/**
 * About how long one page should take at one sender's rate, in seconds: long enough that a
 * page's fixed costs (reading the ledger and the subscribers) are shared by many messages,
 * short enough to end well inside a function timeout and a queue's visibility timeout.
 */
export const PAGE_SECONDS = 10;

/** Ceiling on SES calls one sender keeps in flight. */
const MAX_IN_FLIGHT = 32;
/** The time one recipient may take (claim, SES call, completion) while the rate still holds. */
const RECIPIENT_SECONDS = 0.5;

/**
 * One sender's share of an issue's rate: the issue's rate (messages per second for all
 * senders together) divided by the most senders that may run at once, so that the rate holds
 * however many run.
 */
export function senderRate(issueRate: number, maxConcurrency: number): number {
  return issueRate / Math.max(1, maxConcurrency);
}

/**
 * Subscribers per page: `configured` at most, and no more than one sender sends in about
 * {@link PAGE_SECONDS}.
 */
export function pageSize(configured: number, issueRate: number, maxConcurrency: number): number {
  const perPage = Math.floor(senderRate(issueRate, maxConcurrency) * PAGE_SECONDS);
  return Math.max(1, Math.min(configured, perPage));
}

/**
 * How many recipients one sender works on at once: enough to keep its rate while each takes
 * up to 500 ms, at least 2 and at most 32.
 */
export function inFlight(rate: number): number {
  return Math.min(MAX_IN_FLIGHT, Math.max(2, Math.ceil(rate * RECIPIENT_SECONDS)));
}
