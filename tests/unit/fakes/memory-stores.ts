import type { Article } from '#core/articles/article.ts';
import type { ArticleStore } from '#core/articles/ports.ts';
import { addressKey } from '#core/common/address-hash.ts';
import { eventMinute } from '#core/events/event-minute.ts';
import { IssueNotFoundError } from '#core/issues/issue-not-found-error.ts';
import type {
  Approval,
  Issue,
  IssueChanges,
  IssueMove,
  IssueStore,
  SendingSlot,
} from '#core/issues/ports.ts';
import type {
  AddedStatus,
  EventMinute,
  LinkClicks,
  Mailer,
  OutgoingMessage,
  RecipientEvent,
  RecipientEventCounts,
  RecipientEventType,
  SendChange,
  SendCounts,
  SendExpectation,
  SendLedger,
  SendRecord,
  SendStatus,
} from '#core/sending/ports.ts';
import { recipientEventCounts, sendCounts } from '#core/sending/send-counts.ts';
import type {
  Subscriber,
  SubscriberChanges,
  SubscriberCondition,
  SubscriberPages,
  SubscriberStore,
} from '#core/subscribers/ports.ts';

/** In-memory fakes of the core ports, for unit tests of use cases. */
export class MemoryArticleStore implements ArticleStore {
  readonly items = new Map<string, Article>();
  async putAll(articles: readonly Article[]) {
    for (const article of articles) this.items.set(article.id, structuredClone(article));
  }
  async getMany(ids: readonly string[]) {
    return ids.flatMap((id) => this.items.get(id) ?? []).map((article) => structuredClone(article));
  }
  async list() {
    // By instant, as the DynamoDB store: `publishedAt` may carry any offset.
    return [...this.items.values()]
      .sort((a, b) => Date.parse(b.publishedAt) - Date.parse(a.publishedAt))
      .map((article) => structuredClone(article));
  }
}

export class MemorySubscriberStore implements SubscriberStore, SubscriberPages {
  readonly items: Subscriber[] = [];
  async add(subscriber: Subscriber) {
    const key = addressKey(subscriber.email);
    const found = this.items.find((s) => addressKey(s.email) === key);
    if (found) return { subscriber: structuredClone(found), created: false };
    this.items.push(structuredClone(subscriber));
    return { subscriber: structuredClone(subscriber), created: true };
  }
  async list() {
    return this.items.map((s) => structuredClone(s));
  }
  async page(cursor: string | undefined, limit: number) {
    const start = Number(cursor ?? 0);
    const subscribers = this.items.slice(start, start + limit).map((s) => structuredClone(s));
    const next = start + limit < this.items.length ? String(start + limit) : undefined;
    return next ? { subscribers, cursor: next } : { subscribers };
  }
  async getMany(ids: readonly string[]) {
    return this.items.filter((s) => ids.includes(s.id)).map((s) => structuredClone(s));
  }
  async get(id: string) {
    const found = this.items.find((s) => s.id === id);
    return found && structuredClone(found);
  }
  async findByEmail(email: string) {
    const found = this.items.find((s) => addressKey(s.email) === addressKey(email));
    return found && structuredClone(found);
  }
  async update(id: string, changes: SubscriberChanges, condition: SubscriberCondition = {}) {
    // Like DynamoDB: no change, no write, so no condition to check.
    if (Object.keys(changes).length === 0) return this.get(id);
    const found = this.items.find((s) => s.id === id);
    if (!found || !holds(found, condition)) return undefined;
    for (const [field, value] of Object.entries(changes)) {
      // DynamoDB has no empty sets: no bounces is no attribute.
      const none = value === undefined || (Array.isArray(value) && value.length === 0);
      if (none) delete (found as unknown as Record<string, unknown>)[field];
      else (found as unknown as Record<string, unknown>)[field] = structuredClone(value);
    }
    return structuredClone(found);
  }
  async addTransientBounce(id: string, messageId: string) {
    const found = this.items.find((s) => s.id === id);
    if (!found) return 0;
    found.transientBounces = [...new Set([...(found.transientBounces ?? []), messageId])];
    return found.transientBounces.length;
  }
  async remove(id: string, condition: SubscriberCondition = {}) {
    const index = this.items.findIndex((s) => s.id === id);
    const found = this.items[index];
    if (!found || !holds(found, condition)) return false;
    this.items.splice(index, 1);
    return true;
  }
}

/** Whether a stored subscriber meets a `SubscriberCondition`, as DynamoDB checks it. */
function holds(found: Subscriber, condition: SubscriberCondition): boolean {
  if (condition.status && !condition.status.includes(found.status)) return false;
  if (condition.pendingSince !== undefined && found.pendingSince !== condition.pendingSince) {
    return false;
  }
  const sentBefore = condition.confirmationSentBefore;
  return !(sentBefore && found.confirmationSentAt && found.confirmationSentAt >= sentBefore);
}

export class MemoryIssueStore implements IssueStore {
  readonly items = new Map<string, Issue>();
  /** The list's sending slot (see `IssueStore.takeSendingSlot`). */
  slot?: SendingSlot;
  async create(issue: Issue) {
    if (this.items.has(issue.issueId)) throw new Error(`issue ${issue.issueId} exists`);
    this.items.set(issue.issueId, structuredClone(issue));
  }
  async get(issueId: string) {
    const issue = this.items.get(issueId);
    return issue && structuredClone(issue);
  }
  async list() {
    return [...this.items.values()]
      .sort((a, b) => (a.issueId < b.issueId ? 1 : a.issueId > b.issueId ? -1 : 0))
      .map((issue) => structuredClone(issue));
  }
  async move(issueId: string, move: IssueMove) {
    const issue = this.items.get(issueId);
    if (!issue) throw new IssueNotFoundError(issueId);
    if (!move.from.includes(issue.state)) return undefined;
    if (move.version !== undefined && issue.version !== move.version) return undefined;
    if (move.canary !== undefined) {
      const { canary } = issue;
      if (!canary || canary.endedAt !== undefined) return undefined;
      if (move.canary === 'unpicked' && canary.until !== undefined) return undefined;
    }
    for (const [field, value] of Object.entries(move.changes ?? {})) {
      if (value === null) delete (issue as unknown as Record<string, unknown>)[field];
      else if (value !== undefined) {
        (issue as unknown as Record<string, unknown>)[field] = structuredClone(value);
      }
    }
    issue.state = move.to;
    issue.timeline.push({ ...move.entry });
    return structuredClone(issue);
  }
  async update(
    issueId: string,
    changes: IssueChanges,
    expected?: { prepareCursor: string | null },
  ) {
    // Like DynamoDB: no change, no write, so nothing to check.
    if (Object.values(changes).every((value) => value === undefined)) return true;
    const issue = this.items.get(issueId);
    if (!issue) throw new IssueNotFoundError(issueId);
    if (expected && (issue.prepareCursor ?? null) !== expected.prepareCursor) return false;
    for (const [field, value] of Object.entries(changes)) {
      if (value === null) delete (issue as unknown as Record<string, unknown>)[field];
      else if (value !== undefined) (issue as unknown as Record<string, unknown>)[field] = value;
    }
    return true;
  }
  async takeSendingSlot(issueId: string, at: string, replacing?: SendingSlot) {
    const held = this.slot;
    if (
      held &&
      !(replacing && held.issueId === replacing.issueId && held.since === replacing.since)
    ) {
      return { ...held };
    }
    this.slot = { issueId, since: at };
    return undefined;
  }
  async releaseSendingSlot(issueId: string) {
    if (this.slot?.issueId === issueId) delete this.slot;
  }
  /** The list's approval (see `IssueStore.approve`). */
  approved?: Approval;
  async approve(approval: Approval) {
    this.approved = { ...approval };
  }
  async approval() {
    return this.approved && { ...this.approved };
  }
  async clearApproval(issueId: string) {
    if (this.approved?.issueId === issueId) delete this.approved;
  }
}

/**
 * The send ledger in memory. Its counts (`counts`) are kept apart from the records, as the
 * DynamoDB ledger's counters are: only `addMissing` and `update` move them, so a record a
 * test sets in `items` directly is not counted, like one whose writer died before its
 * counter write.
 */
export class MemorySendLedger implements SendLedger {
  readonly items = new Map<string, SendRecord>();
  /** Each issue's counts by status, by issue id (statuses never counted are absent). */
  readonly counters = new Map<string, Partial<SendCounts>>();
  /** Called before each update, to let a test change the ledger in between. */
  beforeUpdate: (subscriberId: string, change: SendChange) => void = () => {};
  private count(issueId: string, status: SendStatus, delta: number) {
    const counts = this.counters.get(issueId) ?? {};
    counts[status] = (counts[status] ?? 0) + delta;
    this.counters.set(issueId, counts);
  }
  async addMissing(
    issueId: string,
    entries: readonly { subscriberId: string; status: AddedStatus }[],
    at: string,
  ) {
    const added: { subscriberId: string; status: AddedStatus }[] = [];
    for (const { subscriberId, status } of entries) {
      const key = `${issueId}/${subscriberId}`;
      if (this.items.has(key)) continue;
      this.items.set(key, { issueId, subscriberId, status, updatedAt: at });
      this.count(issueId, status, 1);
      added.push({ subscriberId, status });
    }
    return added;
  }
  async getMany(issueId: string, subscriberIds: readonly string[]) {
    return subscriberIds.flatMap((id) => {
      const record = this.items.get(`${issueId}/${id}`);
      return record ? [structuredClone(record)] : [];
    });
  }
  async update(
    issueId: string,
    subscriberId: string,
    expected: SendExpectation,
    change: SendChange,
    at: string,
  ) {
    this.beforeUpdate(subscriberId, change);
    const record = this.items.get(`${issueId}/${subscriberId}`);
    if (!record || !expected.status.includes(record.status)) return false;
    if (expected.claim === null && record.claim !== undefined) return false;
    if (typeof expected.claim === 'string' && record.claim !== expected.claim) return false;
    if (expected.updatedAt !== undefined && record.updatedAt !== expected.updatedAt) return false;
    if (record.status !== change.status) {
      this.count(issueId, record.status, -1);
      this.count(issueId, change.status, 1);
    }
    record.status = change.status;
    record.updatedAt = at;
    if (change.claim === null) delete record.claim;
    else if (change.claim !== undefined) record.claim = change.claim;
    if (change.messageId !== undefined) record.messageId = change.messageId;
    if (change.error !== undefined) record.error = change.error;
    return true;
  }
  async *pages(issueId: string) {
    const records = await this.list(issueId);
    for (let start = 0; start < records.length; start += 3) yield records.slice(start, start + 3);
  }
  async list(issueId: string) {
    return (
      [...this.items.values()]
        .filter((record) => record.issueId === issueId)
        // By code unit, as DynamoDB orders a sort key.
        .sort((a, b) =>
          a.subscriberId < b.subscriberId ? -1 : a.subscriberId > b.subscriberId ? 1 : 0,
        )
        .map((record) => structuredClone(record))
    );
  }
  async counts(issueId: string): Promise<SendCounts> {
    return sendCounts(this.counters.get(issueId));
  }
  async correctCounts(issueId: string, counted: SendCounts) {
    this.counters.set(issueId, { ...counted });
  }
  /** The events counted for each record, by `issueId/subscriberId`. */
  readonly countedEvents = new Map<string, Set<RecipientEventType>>();
  /** The links each record's recipient clicked, by `issueId/subscriberId`. */
  readonly clickedLinks = new Map<string, Set<string>>();
  /** Each issue's counts by event, by minute, and its clicks by link. */
  private readonly events = new Map<string, IssueEvents>();
  async recordEvent(issueId: string, subscriberId: string, event: RecipientEvent, at: string) {
    const minute = eventMinute(at);
    const key = `${issueId}/${subscriberId}`;
    if (!this.items.has(key)) return false;
    const counted = this.countedEvents.get(key) ?? new Set<RecipientEventType>();
    this.countedEvents.set(key, counted);
    const issue: IssueEvents = this.events.get(issueId) ?? {
      counts: {},
      minutes: new Map(),
      links: new Map(),
    };
    this.events.set(issueId, issue);
    const count = (type: RecipientEventType) => {
      counted.add(type);
      issue.counts[type] = (issue.counts[type] ?? 0) + 1;
      const inMinute: Partial<RecipientEventCounts> = issue.minutes.get(minute) ?? {};
      inMinute[type] = (inMinute[type] ?? 0) + 1;
      issue.minutes.set(minute, inMinute);
    };
    if (event.type === 'clicked' && event.link !== undefined) {
      const links = this.clickedLinks.get(key) ?? new Set<string>();
      this.clickedLinks.set(key, links);
      if (links.has(event.link)) return false;
      links.add(event.link);
      issue.links.set(event.link, (issue.links.get(event.link) ?? 0) + 1);
      if (!counted.has('clicked')) count('clicked');
      return true;
    }
    if (counted.has(event.type)) return false;
    count(event.type);
    return true;
  }
  async eventCounts(issueId: string): Promise<RecipientEventCounts> {
    return recipientEventCounts(this.events.get(issueId)?.counts);
  }
  async linkClicks(issueId: string): Promise<LinkClicks[]> {
    return [...(this.events.get(issueId)?.links ?? [])]
      .map(([link, clicks]) => ({ link, clicks }))
      .sort((a, b) => b.clicks - a.clicks || (a.link < b.link ? -1 : a.link > b.link ? 1 : 0));
  }
  async eventTimeline(issueId: string): Promise<EventMinute[]> {
    return [...(this.events.get(issueId)?.minutes ?? [])]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([minute, counts]) => ({ minute, counts: recipientEventCounts(counts) }));
  }
}

/** What `MemorySendLedger` counts of one issue's events: in all, by minute, by link. */
interface IssueEvents {
  counts: Partial<RecipientEventCounts>;
  minutes: Map<string, Partial<RecipientEventCounts>>;
  links: Map<string, number>;
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
