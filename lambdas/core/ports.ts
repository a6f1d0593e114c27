import type { Article } from './article.ts';
import type { RenderedIssue } from './render/render-issue.ts';

/** Where articles live (DynamoDB on AWS and locally). */
export interface ArticleStore {
  /** Stores articles by `id`, replacing any with the same id. Idempotent. */
  putAll(articles: readonly Article[]): Promise<void>;
  /** The stored articles with these ids (missing ids are left out). */
  getMany(ids: readonly string[]): Promise<Article[]>;
  /** Every stored article, newest `publishedAt` first. */
  list(): Promise<Article[]>;
}

export type SubscriberStatus = 'active' | 'pending' | 'unsubscribed' | 'suppressed';

export interface Subscriber {
  /** Opaque ULID. */
  id: string;
  email: string;
  name?: string;
  status: SubscriberStatus;
  /** Where consent came from: `cli`, `import`, `form`. */
  source: string;
  createdAt: string;
  /** When the status last changed (ISO 8601). */
  updatedAt?: string;
  /** When the owner of the address confirmed it (double opt-in). */
  confirmedAt?: string;
  /**
   * Start of the current wait for a confirmation (ISO 8601): confirmation links made before
   * it do not confirm, so a link cannot be used again after its owner has left.
   */
  pendingSince?: string;
  /** When the last confirmation email went out, to space out repeated requests. */
  confirmationSentAt?: string;
  unsubscribedAt?: string;
  /** How the subscriber left: `link` (a message's link), `issue:<issueId>`, `cli`. */
  unsubscribedVia?: string;
  /** Why the address gets no more mail, when `status` is `suppressed`. */
  suppression?: Suppression;
  /** SES message ids that bounced transiently since the last delivery to this address. */
  transientBounces?: string[];
}

/** Why an address must not be mailed: `bounce` and `complaint` come from SES events. */
export type SuppressionReason = 'bounce' | 'complaint' | 'unsubscribed' | 'forgotten';

export interface Suppression {
  reason: SuppressionReason;
  /** What the mail service said, e.g. `Permanent/General` or `abuse`; no address. */
  detail: string;
  /** ISO 8601. */
  at: string;
}

/** Fields `SubscriberStore.update` can change; a field present as `undefined` is removed. */
export type SubscriberChanges = Partial<Omit<Subscriber, 'id' | 'email' | 'createdAt'>>;

/** What must hold for `SubscriberStore.update` to apply. */
export interface SubscriberCondition {
  /** The status must be one of these. */
  status?: readonly SubscriberStatus[];
  /** No confirmation email may have gone out at or after this time (ISO 8601). */
  confirmationSentBefore?: string;
  /** `pendingSince` must be exactly this. */
  pendingSince?: string;
}

export interface SubscriberStore {
  /**
   * Adds a subscriber unless the address is already present (compared case-insensitively),
   * in which case the stored one is returned unchanged: an editor's add never re-subscribes
   * someone who left.
   */
  add(subscriber: Subscriber): Promise<{ subscriber: Subscriber; created: boolean }>;
  list(): Promise<Subscriber[]>;
  /** The subscriber with this id, as last written. */
  get(id: string): Promise<Subscriber | undefined>;
  /** The subscriber with this address (compared case-insensitively), as last written. */
  findByEmail(email: string): Promise<Subscriber | undefined>;
  /**
   * Changes a subscriber when `condition` holds, atomically.
   * @returns the subscriber as changed, or undefined when there is none or the condition
   *   failed
   */
  update(
    id: string,
    changes: SubscriberChanges,
    condition?: SubscriberCondition,
  ): Promise<Subscriber | undefined>;
  /**
   * Records that the message `messageId` to this subscriber bounced transiently; recording
   * the same message again changes nothing (events may be delivered twice).
   * @returns how many distinct messages have bounced transiently, or 0 when there is no
   *   such subscriber
   */
  addTransientBounce(id: string, messageId: string): Promise<number>;
  /** Deletes the subscriber and every trace of its address here. False when there was none. */
  remove(id: string): Promise<boolean>;
}

/**
 * Addresses that must not be mailed, kept as keyed hashes (`addressHash`) so that one
 * remains suppressed after its subscriber is forgotten, without the address being stored.
 */
export interface SuppressionStore {
  get(addressHash: string): Promise<Suppression | undefined>;
  /** Records or replaces the suppression of an address. */
  put(addressHash: string, suppression: Suppression): Promise<void>;
  delete(addressHash: string): Promise<void>;
}

/** Removes from the send ledger what could identify one subscriber's address. */
export interface SendLedgerEraser {
  /** @returns how many ledger records were changed */
  eraseSubscriber(subscriberId: string): Promise<number>;
}

/** An issue as planned: which articles it carries, in order. */
export interface Issue {
  /** Opaque ULID. */
  issueId: string;
  createdAt: string;
  subject: string;
  articleIds: string[];
  status: 'sending' | 'done';
  /**
   * Messages per second for all senders together: SES's `MaxSendRate` when the issue was
   * created, or the editor's `--rate`. Absent on issues from before pacing (then the
   * configured `sendRate` applies).
   */
  rate?: number;
  /**
   * When the send ledger got a record for every subscriber (ISO 8601); until then the issue
   * cannot be done.
   */
  preparedAt?: string;
  /**
   * Where preparing the ledger left off (a cursor of `SubscriberPages.page`) while it is not
   * prepared; absent before the first page.
   */
  prepareCursor?: string;
}

/** What `IssueStore.update` can change; `prepareCursor: null` removes it. */
export type IssueChanges = Partial<Pick<Issue, 'rate' | 'preparedAt'>> & {
  prepareCursor?: string | null;
};

export interface IssueStore {
  /** Records a new issue; fails if the id exists. */
  create(issue: Issue): Promise<void>;
  get(issueId: string): Promise<Issue | undefined>;
  /** Every issue, newest first. */
  list(): Promise<Issue[]>;
  markDone(issueId: string): Promise<void>;
  /**
   * Changes fields of an existing issue; with `expected`, only while its `prepareCursor` is
   * that one (`null`: none), atomically.
   * @returns false when `expected` did not hold (nothing was written)
   */
  update(
    issueId: string,
    changes: IssueChanges,
    expected?: { prepareCursor: string | null },
  ): Promise<boolean>;
}

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
  /** The records of these subscribers in this issue (subscribers without one are left out). */
  getMany(issueId: string, subscriberIds: readonly string[]): Promise<SendRecord[]>;
  /**
   * Changes a record when it is as `expected`, atomically.
   * @returns false when the record is missing or not as expected (nothing was written)
   */
  update(
    issueId: string,
    subscriberId: string,
    expected: SendExpectation,
    change: SendChange,
    at: string,
  ): Promise<boolean>;
  /** Every record of an issue, a page at a time, in subscriber id order. */
  pages(issueId: string): AsyncIterable<SendRecord[]>;
  /** Every record of an issue. */
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
   * `delaySeconds` (0 to 900; default 0).
   */
  enqueue(messages: readonly (SendPage | PrepareStep)[], delaySeconds?: number): Promise<void>;
  /** True when the queue holds no message at all: none waiting, delayed or in flight. */
  isIdle(): Promise<boolean>;
}

/** The consumer of SES events (their SQS queue and its dead-letter queue). */
export interface EventBacklog {
  /**
   * True when no SES event waits to be applied: the events queue is empty (nothing waiting,
   * delayed or in flight) and so is its dead-letter queue.
   */
  isDrained(): Promise<boolean>;
}

/** The account's sending quota (SES `GetSendQuota`). */
export interface SendQuota {
  /** Messages per second SES allows; undefined when it cannot be read in time. */
  maxSendRate(): Promise<number | undefined>;
}

/** Rendered issues kept for the senders (S3: `rendered/<issueId>.json`). */
export interface RenderedIssueStore {
  /** Stores an issue's render, replacing any under the same id. Idempotent. */
  put(rendered: RenderedIssue): Promise<void>;
  get(issueId: string): Promise<RenderedIssue | undefined>;
}

/** Subscribers read in pages and by id, for fanning out and sending an issue. */
export interface SubscriberPages {
  /**
   * Up to `limit` subscribers from where `cursor` left off (from the start without one), in
   * no particular order; `cursor` is absent on the last page.
   */
  page(
    cursor: string | undefined,
    limit: number,
  ): Promise<{ subscribers: Subscriber[]; cursor?: string }>;
  /** The subscribers with these ids (missing ids are left out). */
  getMany(ids: readonly string[]): Promise<Subscriber[]>;
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
 * The public archive of issues (S3 on AWS and locally): each issue's HTML as anyone may read
 * it, without personal data, for "view in browser".
 */
export interface IssueArchive {
  /** Stores an issue's HTML, replacing any stored under the same id. Idempotent. */
  putIssue(issueId: string, html: string): Promise<void>;
  /** The stored HTML of an issue, or undefined when the archive has none. */
  getIssue(issueId: string): Promise<string | undefined>;
}
