/**
 * The metric (and the word in the issue builder's log line that counts it) whose alarm tells
 * that a run of the schedule sent nothing an editor expected: no draft approved under
 * `requireApproval`, or a scheduled issue or approved draft whose articles went out meanwhile.
 */
export const SCHEDULE_SENT_NOTHING_METRIC = 'ScheduleSentNothing';
