import type { Article } from './article.ts';

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
}

export interface SubscriberStore {
  /**
   * Adds a subscriber unless the address is already present (compared case-insensitively),
   * in which case the stored one is returned unchanged: an editor's add never re-subscribes
   * someone who left.
   */
  add(subscriber: Subscriber): Promise<{ subscriber: Subscriber; created: boolean }>;
  list(): Promise<Subscriber[]>;
}

/** An issue as planned: which articles it carries, in order. */
export interface Issue {
  /** Opaque ULID. */
  issueId: string;
  createdAt: string;
  subject: string;
  articleIds: string[];
  status: 'sending' | 'done';
}

export interface IssueStore {
  /** Records a new issue; fails if the id exists. */
  create(issue: Issue): Promise<void>;
  get(issueId: string): Promise<Issue | undefined>;
  /** Every issue, newest first. */
  list(): Promise<Issue[]>;
  markDone(issueId: string): Promise<void>;
}

export type SendStatus = 'claimed' | 'sent' | 'failed';

/** One row of the send ledger: the truth about one (issue, subscriber) message. */
export interface SendRecord {
  issueId: string;
  subscriberId: string;
  status: SendStatus;
  messageId?: string;
  error?: string;
  updatedAt: string;
}

export interface SendLedger {
  /**
   * Claims (issue, subscriber) before the message is handed to SES. Returns false when a
   * claim already exists, whatever its status: that message must not be sent again.
   */
  claim(issueId: string, subscriberId: string, at: string): Promise<boolean>;
  complete(
    issueId: string,
    subscriberId: string,
    outcome: { status: 'sent'; messageId: string } | { status: 'failed'; error: string },
    at: string,
  ): Promise<void>;
  /** Drops a claim that is still `claimed`: the message was certainly not sent. */
  release(issueId: string, subscriberId: string): Promise<void>;
  list(issueId: string): Promise<SendRecord[]>;
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
