/**
 * Where one message of an issue stands: `queued` (to send), `claimed` (an attempt holds it:
 * SES is being called), `unknown` (the call's outcome is unknown), `sent`, `failed` (refused
 * for good), `suppressed` (the subscriber was not active: not sent).
 */
export type SendStatus = 'queued' | 'claimed' | 'unknown' | 'sent' | 'failed' | 'suppressed';

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
 * late SES events can never move a record the wrong way.
 */
export interface SendLedger {
  /**
   * Adds a record for each subscriber that has none in this issue (a conditional write each),
   * leaving existing records untouched, also when several processes add at once.
   * @returns the entries that were added
   */
  addMissing(
    issueId: string,
    entries: readonly { subscriberId: string; status: 'queued' | 'suppressed' }[],
    at: string,
  ): Promise<{ subscriberId: string; status: 'queued' | 'suppressed' }[]>;
  /**
   * The records of these subscribers in this issue, in no particular order (subscribers
   * without one are left out).
   */
  getMany(issueId: string, subscriberIds: readonly string[]): Promise<SendRecord[]>;
  /**
   * Changes a record when it is as `expected`, atomically; fields the change leaves out stay
   * as they are.
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

/** The send queue (SQS): the work list, never the truth. */
export interface SendQueue {
  /**
   * Enqueues pages (and preparation steps), each as one message, visible after
   * `delaySeconds` (0 to 900; default 0). Nothing is enqueued for an empty list.
   */
  enqueue(messages: readonly (SendPage | PrepareStep)[], delaySeconds?: number): Promise<void>;
  /** True when the queue holds no message at all: none waiting, delayed or in flight. */
  isIdle(): Promise<boolean>;
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
