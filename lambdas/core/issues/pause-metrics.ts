/**
 * The metric (and the word in the log line of the sender or the ses-events handler that counts
 * it) whose alarm tells that an issue paused itself: its bounce or complaint rate passed its
 * threshold (`checkSendRates`). Until someone resumes or cancels it, it holds up every
 * schedule run behind it.
 */
export const ISSUE_PAUSED_ITSELF_METRIC = 'IssuePausedItself';

/** The log line of an issue that paused itself, which the alarm's metric filter counts. */
export function pausedItself(issueId: string, reason: string) {
  return { message: 'issue paused itself', metric: ISSUE_PAUSED_ITSELF_METRIC, issueId, reason };
}
