import type { Article } from '#core/article.ts';
import type {
  ArticleStore,
  Issue,
  IssueStore,
  Mailer,
  OutgoingMessage,
  SendLedger,
  SendRecord,
  Subscriber,
  SubscriberStore,
} from '#core/ports.ts';

/** In-memory fakes of the core ports, for unit tests of use cases. */
export class MemoryArticleStore implements ArticleStore {
  readonly items = new Map<string, Article>();
  async putAll(articles: readonly Article[]) {
    for (const article of articles) this.items.set(article.id, structuredClone(article));
  }
  async getMany(ids: readonly string[]) {
    return ids.flatMap((id) => this.items.get(id) ?? []);
  }
  async list() {
    return [...this.items.values()].sort((a, b) => b.publishedAt.localeCompare(a.publishedAt));
  }
}

export class MemorySubscriberStore implements SubscriberStore {
  readonly items: Subscriber[] = [];
  async add(subscriber: Subscriber) {
    const found = this.items.find((s) => s.email.toLowerCase() === subscriber.email.toLowerCase());
    if (found) return { subscriber: found, created: false };
    this.items.push(subscriber);
    return { subscriber, created: true };
  }
  async list() {
    return [...this.items];
  }
}

export class MemoryIssueStore implements IssueStore {
  readonly items = new Map<string, Issue>();
  async create(issue: Issue) {
    if (this.items.has(issue.issueId)) throw new Error('exists');
    this.items.set(issue.issueId, { ...issue });
  }
  async get(issueId: string) {
    return this.items.get(issueId);
  }
  async list() {
    return [...this.items.values()].sort((a, b) => b.issueId.localeCompare(a.issueId));
  }
  async markDone(issueId: string) {
    const issue = this.items.get(issueId);
    if (issue) issue.status = 'done';
  }
}

export class MemorySendLedger implements SendLedger {
  readonly items = new Map<string, SendRecord>();
  async claim(issueId: string, subscriberId: string, at: string) {
    const key = `${issueId}/${subscriberId}`;
    if (this.items.has(key)) return false;
    this.items.set(key, { issueId, subscriberId, status: 'claimed', updatedAt: at });
    return true;
  }
  async complete(
    issueId: string,
    subscriberId: string,
    outcome: { status: 'sent'; messageId: string } | { status: 'failed'; error: string },
    at: string,
  ) {
    const record = this.items.get(`${issueId}/${subscriberId}`);
    if (record?.status !== 'claimed') throw new Error('not claimed');
    Object.assign(record, outcome, { updatedAt: at });
  }
  async release(issueId: string, subscriberId: string) {
    this.items.delete(`${issueId}/${subscriberId}`);
  }
  async list(issueId: string) {
    return [...this.items.values()].filter((record) => record.issueId === issueId);
  }
}

/** Records every message; `fail` decides per message whether to throw instead. */
export class RecordingMailer implements Mailer {
  readonly sent: OutgoingMessage[] = [];
  fail: (message: OutgoingMessage) => Error | undefined = () => undefined;
  async send(message: OutgoingMessage) {
    const error = this.fail(message);
    if (error) throw error;
    this.sent.push(message);
    return { messageId: `message-${this.sent.length}` };
  }
}
