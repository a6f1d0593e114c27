/**
 * Seconds before a page SES kept refusing is delivered again after its first delivery. Its
 * sender has already backed off for several seconds within the page (8 tries per recipient).
 */
const FIRST_RETRY_SECONDS = 10;
/** How much longer each later delivery of the same page waits than the one before. */
const GROWTH = 4;
/**
 * The longest wait: less than the send queue's visibility timeout (12 minutes, six times the
 * sender's timeout), so that a page never comes back later than it would without a delay.
 */
const MAX_RETRY_SECONDS = 600;

/**
 * How many seconds a page that SES kept refusing (`PageOutcome.retry`) stays away before SQS
 * delivers it again: 10 s after its first delivery, four times as long after each later one,
 * at most 10 minutes (10, 40, 160, 600, 600, …). With the send queue's five deliveries
 * (`maxReceiveCount`), the last try comes 13½ minutes after the first failed, and a page that
 * fails it too goes to the dead-letter queue 10 minutes later.
 * @param receiveCount how many times SQS has delivered the page, this delivery included
 *   (`ApproximateReceiveCount`); anything that is not a count of 1 or more counts as 1
 */
export function pageRetrySeconds(receiveCount: number): number {
  const deliveries = Number.isFinite(receiveCount) && receiveCount > 1 ? receiveCount : 1;
  return Math.min(
    MAX_RETRY_SECONDS,
    Math.round(FIRST_RETRY_SECONDS * GROWTH ** (Math.floor(deliveries) - 1)),
  );
}
