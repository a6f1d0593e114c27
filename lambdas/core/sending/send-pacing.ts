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
 * The largest page: `configured` subscribers at most, and no more than one sender sends in
 * about {@link PAGE_SECONDS}.
 */
export function pageSize(configured: number, issueRate: number, maxConcurrency: number): number {
  const perPage = Math.floor(senderRate(issueRate, maxConcurrency) * PAGE_SECONDS);
  return Math.max(1, Math.min(configured, perPage));
}

/** What cutting recipients into pages depends on. */
export interface PagePlanOptions {
  /** `sendPageSize`: most subscribers per page. */
  configured: number;
  /** The issue's rate, messages per second for all senders together. */
  issueRate: number;
  /** `sendConcurrency`: the most senders at once. */
  maxConcurrency: number;
}

/**
 * The sizes of the pages `count` recipients are cut into: whole rounds of equal pages, one
 * page per sender that may run at once, each page at most {@link pageSize}. Every sender has
 * its fixed share of the rate (see {@link senderRate}), so the send keeps its pace only while
 * every sender has work: pages of 100 for 300 recipients and 2 senders gave one sender the
 * third page alone, at half the rate, for a third of the send. Pages as many as a multiple of
 * the senders, and of sizes that differ by one at most, let the senders end together.
 *
 * Rounds are as few as {@link pageSize} allows, rather than many small pages: each page costs
 * an SQS message, a receive and a delete, and reads of the issue, the ledger and the
 * subscribers, during which its sender sends nothing (its token bucket saves at most one
 * token), so many small pages would lose on every page what they save at the end.
 * @returns page sizes, largest first, adding up to `count`; none when `count` is 0
 */
export function pageSizes(count: number, options: PagePlanOptions): number[] {
  if (count <= 0) return [];
  const senders = Math.max(1, options.maxConcurrency);
  const largest = pageSize(options.configured, options.issueRate, senders);
  const rounds = Math.ceil(count / (senders * largest));
  // Fewer recipients than senders: a page each, and the senders left over idle from the start.
  const pages = Math.min(count, senders * rounds);
  const base = Math.floor(count / pages);
  const larger = count % pages;
  return Array.from({ length: pages }, (_, index) => base + (index < larger ? 1 : 0));
}

/**
 * `items` cut into pages of the sizes {@link pageSizes} gives, in their order.
 */
export function splitIntoPages<T>(items: readonly T[], options: PagePlanOptions): T[][] {
  const pages: T[][] = [];
  let start = 0;
  for (const size of pageSizes(items.length, options)) {
    pages.push(items.slice(start, start + size));
    start += size;
  }
  return pages;
}

/**
 * How many recipients one sender works on at once: enough to keep its rate while each takes
 * up to 500 ms, at least 2 and at most 32.
 */
export function inFlight(rate: number): number {
  return Math.min(MAX_IN_FLIGHT, Math.max(2, Math.ceil(rate * RECIPIENT_SECONDS)));
}
