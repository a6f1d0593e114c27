/**
 * Where one message of an issue stands: `queued` (to send), `held` (a recipient the issue's
 * canary holds back: sent once the canary is over), `claimed` (an attempt holds it: SES is
 * being called), `unknown` (the call's outcome is unknown), `sent`, `failed` (refused for
 * good), `suppressed` (the subscriber was not active: not sent), `cancelled` (the issue was
 * cancelled while the message was still `queued` or `held`: it will never be sent). `sent`,
 * `failed`, `suppressed` and `cancelled` are final.
 */
export type SendStatus =
  | 'queued'
  | 'held'
  | 'claimed'
  | 'unknown'
  | 'sent'
  | 'failed'
  | 'suppressed'
  | 'cancelled';

/** The statuses a record may be added in (`SendLedger.addMissing`). */
export type AddedStatus = Extract<SendStatus, 'queued' | 'held' | 'suppressed'>;

/**
 * How many records of an issue are in each status (`SendLedger.counts`): read from counters
 * kept with every change of a record, so that an issue's status costs a few reads whatever
 * the size of its list.
 */
export type SendCounts = Record<SendStatus, number>;

/**
 * What happened to one recipient's message after SES took it, or what its reader did with it,
 * as the issue counts it (`SendLedger.recordEvent`): SES's events `Delivery` (`delivered`),
 * a permanent or a transient bounce, `Complaint` (`complained`), `Reject` (`rejected`),
 * `DeliveryDelay` (`delayed`), `Open` (`opened`) and `Click` (`clicked`, with
 * `trackEngagement` only), and an unsubscribe through the issue's link or header
 * (`unsubscribed`). Each is counted once per recipient, however often it is reported.
 */
export type RecipientEventType =
  | 'delivered'
  | 'bouncedPermanent'
  | 'bouncedTransient'
  | 'complained'
  | 'rejected'
  | 'delayed'
  | 'unsubscribed'
  | 'opened'
  | 'clicked';

/**
 * How many recipients of an issue each event happened to (`SendLedger.eventCounts`), each
 * recipient once per type: read from counters, like `SendCounts`.
 */
export type RecipientEventCounts = Record<RecipientEventType, number>;

/** One event about one recipient's message, to count (`SendLedger.recordEvent`). */
export interface RecipientEvent {
  type: RecipientEventType;
  /** For `clicked`: the address of the link clicked (never a personal one: no token). */
  link?: string;
}

/** A link of an issue and how many recipients clicked it (each once). */
export interface LinkClicks {
  link: string;
  clicks: number;
}

/**
 * One minute of an issue's events (`SendLedger.eventTimeline`): how many recipients were
 * counted for each event type in it, by the time the event happened, so that a chart can
 * show the issue over time. The minutes' counts add up to `eventCounts`.
 */
export interface EventMinute {
  /** The minute, UTC: `yyyy-mm-ddTHH:MM`. */
  minute: string;
  counts: RecipientEventCounts;
}

/** One row of the send ledger: the truth about one (issue, subscriber) message. */
export interface SendRecord {
  issueId: string;
  subscriberId: string;
  status: SendStatus;
  /** The attempt that holds (or last held) the claim: a ULID, also sent as an SES tag. */
  claim?: string;
  /** SES's MessageId, once sent. */
  messageId?: string;
  /** Why it failed, without any address. */
  error?: string;
  /** When the record last changed (ISO 8601); for `claimed`, when the attempt began. */
  updatedAt: string;
}

/** The state a record must be in for `SendLedger.update` to change it. */
export interface SendExpectation {
  /** One of these statuses. */
  status: readonly SendStatus[];
  /** When given, this claim (`null`: no claim at all). */
  claim?: string | null;
  /** When given, last changed at exactly this time: the record was not touched since. */
  updatedAt?: string;
}

/** What `SendLedger.update` writes; `updatedAt` is set to the time given. */
export interface SendChange {
  status: SendStatus;
  /** A new claim, or `null` to remove it; absent leaves it. */
  claim?: string | null;
  messageId?: string;
  error?: string;
}

/**
 * The send ledger (DynamoDB): one record per (issue, subscriber), the truth about who got an
 * issue. Every change is a conditional write, so concurrent senders, redelivered work and
 * late SES events can never move a record the wrong way. It also counts each issue's records
 * by status as it adds and changes them (`counts`), so that where an issue stands is known
 * without reading its whole ledger.
 */
export interface SendLedger {
  /**
   * Adds a record for each subscriber that has none in this issue (a conditional write each),
   * leaving existing records untouched, also when several processes add at once. The added
   * ones, and only they, are counted (`counts`).
   * @returns the entries that were added
   */
  addMissing(
    issueId: string,
    entries: readonly { subscriberId: string; status: AddedStatus }[],
    at: string,
  ): Promise<{ subscriberId: string; status: AddedStatus }[]>;
  /**
   * The records of these subscribers in this issue, in no particular order (subscribers
   * without one are left out).
   */
  getMany(issueId: string, subscriberIds: readonly string[]): Promise<SendRecord[]>;
  /**
   * Changes a record when it is as `expected`, atomically; fields the change leaves out stay
   * as they are. A change of status moves one count (`counts`) from the old status to the new.
   * @returns false when the record is missing or not as expected (nothing was written, and no
   *   record is created)
   */
  update(
    issueId: string,
    subscriberId: string,
    expected: SendExpectation,
    change: SendChange,
    at: string,
  ): Promise<boolean>;
  /**
   * Every record of an issue, a page at a time, in subscriber id order (by code unit, as
   * DynamoDB orders sort keys: `B` before `a`); no page is empty.
   */
  pages(issueId: string): AsyncIterable<SendRecord[]>;
  /** Every record of an issue, in subscriber id order. */
  list(issueId: string): Promise<SendRecord[]>;
  /**
   * How many records of the issue are in each status (every status present, 0 when none),
   * from counters kept with each change of a record, never by reading the records: a few
   * reads whatever the size of the issue. A counter is written just after its record, not in
   * the same transaction, so while writes are in flight the counts may lag them (a status may
   * even read below 0 for a moment), and a process that dies between a record's write and its
   * counter's leaves a count off by one until `correctCounts`. Good for showing progress; a
   * decision that must be exact (is the issue finished?) counts the records (`pages`).
   */
  counts(issueId: string): Promise<SendCounts>;
  /**
   * Makes the issue's counts equal `counted`, a full count of its records (`pages`) made by the
   * caller, e.g. when the issue finishes: this repairs what a crash between a record's write
   * and its counter's left off. Safe only while no record of the issue changes from the start
   * of that count to the end of this call (the issue is done, or nothing sends it): a change
   * in between would be lost or counted twice.
   */
  correctCounts(issueId: string, counted: SendCounts): Promise<void>;
  /**
   * Counts an event about a recipient's message, once per recipient and event type (and per
   * link for `clicked`), however often it is reported: SQS delivers SES's events at least
   * once, and a reader opens or clicks many times. The record keeps what was counted (one
   * conditional write), then the issue's counter and the minute of `at` (`eventTimeline`)
   * count it. Nothing is written for a subscriber with no record in the issue (an event
   * about a message of no issue, or of a record since removed). A process that dies between
   * the record's write and its counters' leaves a count one short, never one over.
   * @param at when the event happened (ISO 8601): the minute it is counted in
   * @returns true when something was counted: the recipient for this type, or for
   *   `clicked` this link; false for a repeat or a missing record
   */
  recordEvent(
    issueId: string,
    subscriberId: string,
    event: RecipientEvent,
    at: string,
  ): Promise<boolean>;
  /**
   * How many recipients of the issue each event happened to (every type present, 0 when
   * none), from counters, never by reading the records: a few reads at any size. While
   * writes are in flight they may lag a moment.
   */
  eventCounts(issueId: string): Promise<RecipientEventCounts>;
  /**
   * The links of the issue that were clicked, each with how many recipients clicked it: the
   * most clicked first, then by address.
   */
  linkClicks(issueId: string): Promise<LinkClicks[]>;
  /**
   * The issue's counted events minute by minute, oldest first; only minutes in which
   * something was counted.
   */
  eventTimeline(issueId: string): Promise<EventMinute[]>;
}

/** One message of the send queue: subscribers of an issue to send to. */
export interface SendPage {
  issueId: string;
  subscriberIds: string[];
}

/**
 * A message of the send queue that continues preparing an issue's ledger where an earlier
 * invocation ran out of time.
 */
export interface PrepareStep {
  issueId: string;
  /** The issue's `prepareCursor` when the step was enqueued. */
  prepareFrom: string;
}

/**
 * A message of the send queue that marks a cancelled issue's unsent records `cancelled`
 * (`finishCancel`), for a host that cannot go on working once it has answered (the editor API
 * on Lambda, whose answer must reach the HTTP API within 30 s).
 */
export interface CancelStep {
  issueId: string;
  finishCancel: true;
}

/** One message of the send queue. */
export type SendQueueMessage = SendPage | PrepareStep | CancelStep;

/** The send queue (SQS): the work list, never the truth. */
export interface SendQueue {
  /**
   * Enqueues pages (and preparation and cancel steps), each as one message, visible after
   * `delaySeconds` (0 to 900; default 0). Nothing is enqueued for an empty list.
   */
  enqueue(messages: readonly SendQueueMessage[], delaySeconds?: number): Promise<void>;
  /** True when the queue holds no message at all: none waiting, delayed or in flight. */
  isIdle(): Promise<boolean>;
}

/** When a send-queue message that was received, and failed, is delivered again (SQS). */
export interface MessageVisibility {
  /**
   * Keeps a received message from being delivered again for `seconds` from now, instead of
   * what is left of the queue's visibility timeout (0: at once). Rejects when the message is
   * no longer in flight: deleted, or visible again already.
   * @param receiptHandle the handle of the delivery, as received
   * @param seconds a whole number, 0 to 43,200
   */
  changeVisibility(receiptHandle: string, seconds: number): Promise<void>;
}

/** The account's sending quota (SES `GetSendQuota`). */
export interface SendQuota {
  /** Messages per second SES allows; undefined when it cannot be read in time. */
  maxSendRate(): Promise<number | undefined>;
}

/** A complete message, ready for SES SendRawEmail. */
export interface OutgoingMessage {
  /** The recipient address (the envelope destination). */
  to: string;
  /** RFC 5322 bytes. */
  raw: Uint8Array;
  /** SES message tags (values limited to `[A-Za-z0-9_-]`). */
  tags: Record<string, string>;
}

/** Hands messages to the mail service. */
export interface Mailer {
  /**
   * Sends one message; resolves with the service's message id. Rejects with
   * `MailRejectedError` when refused for good, `MailNotSentError` when nothing was sent
   * and a later try may succeed, and any other error when the outcome is unknown.
   */
  send(message: OutgoingMessage): Promise<{ messageId: string }>;
}

/**
 * One sender's lease on an issue (see `SendLeases`): the term during which it may claim the
 * issue's records, all times ISO 8601 as the sender's clock read them.
 */
export interface SendLease {
  /** The sender: one opaque id per `Sender` (a ULID). */
  holder: string;
  /** When this term began: the sender read the issue's state after this time. */
  since: string;
  /** When this term ends: the sender claims nothing under it from a margin before then. */
  until: string;
}

/**
 * Who may still claim records of an issue (DynamoDB: items of the send ledger's table, beside
 * the records): each sender holds a short lease on an issue while it claims records of it,
 * so that whoever pauses or cancels the issue can wait until no sender can claim any more
 * (`awaitSenders`). One lease per (issue, holder); a new term replaces the last.
 */
export interface SendLeases {
  /**
   * Writes the holder's new term, replacing its last one. A term that ends before the stored
   * one is not written: a write that arrives late, after a newer term, never shortens it.
   * @returns false when a term that ends later is stored, and nothing was written
   */
  hold(issueId: string, lease: SendLease): Promise<boolean>;
  /**
   * Removes the holder's lease when it is still this term (same `since`); leaves a newer term,
   * and does nothing when there is none.
   */
  release(issueId: string, lease: SendLease): Promise<void>;
  /**
   * Every lease held on the issue, expired or not, as last written: a strongly consistent
   * read, so a term whose `hold` resolved is in it. In no particular order.
   */
  list(issueId: string): Promise<SendLease[]>;
}
