/** The consumer of SES events (their SQS queue and its dead-letter queue). */ export interface EventBacklog {
  /**
   * True when no SES event waits to be applied: the events queue is empty (nothing waiting,
   * delayed or in flight) and so is its dead-letter queue.
   */
  isDrained(): Promise<boolean>;
}
