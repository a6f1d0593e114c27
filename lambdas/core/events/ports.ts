/**
 * Which of the two queues hold SES events not yet applied. Each is true while its queue
 * holds any message: waiting, delayed or in flight.
 */
export interface EventsWaiting {
  /** The SES events queue: its events will be applied by the ses-events handler. */
  queued: boolean;
  /**
   * Its dead-letter queue: these events are applied only once someone redrives them, so
   * nobody can tell when, or whether, they will be.
   */
  deadLettered: boolean;
}

/** The consumer of SES events (their SQS queue and its dead-letter queue). */
export interface EventBacklog {
  /**
   * True when no SES event waits to be applied: the events queue is empty (nothing waiting,
   * delayed or in flight) and so is its dead-letter queue.
   */
  isDrained(): Promise<boolean>;
  /**
   * Where SES events wait, each queue told apart: an issue whose unknown outcomes are held
   * only by the dead-letter queue may be finished without them (see `deadLetterHold`).
   */
  backlog(): Promise<EventsWaiting>;
}
