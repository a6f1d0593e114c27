import type { Config } from '../common/config.ts';
import { withoutAddresses } from '../common/without-addresses.ts';
import type { EventBacklog } from '../events/ports.ts';
import type { Issue, IssueStore, RenderedIssueStore } from '../issues/ports.ts';
import type { Subscriber, SubscriberPages } from '../subscribers/ports.ts';
import { signSubscriberToken } from '../subscribers/subscriber-token.ts';
import { HeaderValueError } from './build-message.ts';
import { claimableAs, claimSend, RECHECK_SECONDS, type RecordWrite } from './claim-send.ts';
import { buildMimeTemplate, headerAddress, type MimeTemplate } from './mime-template.ts';
import type { Mailer, OutgoingMessage, SendLedger, SendPage, SendRecord } from './ports.ts';
import { inFlight, senderRate } from './send-pacing.ts';
import { type SesAnswer, settleSend, settleUnsent } from './settle-send.ts';
import { type Clock, systemClock, TokenBucket } from './token-bucket.ts';

/** What one sender (one Lambda container, one local poller slot) needs. */
export interface SenderDeps {
  config: Pick<
    Config,
    'sendRate' | 'sendConcurrency' | 'listName' | 'listId' | 'fromEmail' | 'publicBaseUrl'
  >;
  /**
   * Seconds after which a send of unknown outcome for which SES published no `Send` event
   * was not sent (`sendUnknownWindowSeconds`, locally `localSendUnknownWindowSeconds`).
   */
  unknownWindowSeconds: number;
  issues: Pick<IssueStore, 'get'>;
  ledger: Pick<SendLedger, 'getMany' | 'update'>;
  subscribers: Pick<SubscriberPages, 'getMany'>;
  renderedIssues: Pick<RenderedIssueStore, 'get'>;
  mailer: Mailer;
  events: EventBacklog;
  /** Key of the HMAC that signs unsubscribe links. */
  tokenKey: Uint8Array;
  /** A new opaque ULID: the claim of each attempt. */
  newId(): string;
  now(): Date;
  /** Paces and backs off; default: the system clock. */
  clock?: Clock;
}

/** What became of one page. */
export interface PageOutcome {
  /**
   * Some recipients were not sent because SES answered with errors (throttling, a 5xx) on
   * every try: nothing was sent to them, and the page should come back later (an SQS batch
   * item failure). The ledger skips whoever is done by then.
   */
  retry: boolean;
  /**
   * Recipients to look at again after `delaySeconds`: sends of unknown outcome waiting for
   * SES's `Send` event or the window, records another sender holds, and the rest of a page
   * that ran out of time.
   */
  later?: { subscriberIds: string[]; delaySeconds: number };
  /** How many recipients of the page ended how, for the log. */
  counts: Record<Result['kind'], number>;
  /** What went wrong besides SES's answers (at most five, without addresses), for the log. */
  errors: string[];
}

type Result =
  | { kind: 'sent' | 'failed' | 'suppressed' | 'done' | 'retry' }
  | { kind: 'later' | 'unknown'; delaySeconds: number };

/** What one page's recipients share while they are sent. */
interface PageContext {
  issue: Issue;
  template: MimeTemplate;
  bucket: TokenBucket;
  records: Map<string, SendRecord>;
  subscribers: Map<string, Subscriber>;
  /** Whether no SES event waits to be applied, asked at most once a page. */
  drained: () => Promise<boolean>;
  /** Time (ms since the epoch) after which no recipient is started. */
  deadline: number;
}

/** Tries per recipient while SES answers with errors that mean "nothing sent, try again". */
const MAX_TRIES = 8;
/** Templates kept per sender: the issue being sent and, briefly, its predecessor. */
const TEMPLATES_KEPT = 2;

/**
 * Sends pages of an issue's recipients: the work of the send-batch handler. One `Sender` per
 * container (locally, per poller slot) keeps the issue's message template, built once, and a
 * token bucket at its share of the issue's rate (`rate / sendConcurrency`), so that the rate
 * holds across every sender that may run at once.
 *
 * Per recipient, steps kept in `claim-send.ts` and `settle-send.ts` so that the exactly-once
 * argument can be read one step at a time (docs/sending.md tells it whole): `claimableAs`
 * decides whether the ledger record may be taken (a `queued` one at once; an `unknown` or
 * abandoned `claimed` one only once the window has passed with no SES `Send` event and none
 * waiting to be applied); `claimSend` takes it with a conditional write and a new claim id,
 * then a token; SES is called with the issue, subscriber and claim as tags; `settleSend`
 * writes what SES answered: `sent`, `failed`, `queued` again (tried here with backoff, then
 * left for the page to come back) or `unknown`.
 */
export class Sender {
  private readonly templates = new Map<string, Promise<MimeTemplate>>();
  private bucket: TokenBucket | undefined;
  private readonly clock: Clock;

  constructor(private readonly deps: SenderDeps) {
    this.clock = deps.clock ?? systemClock;
  }

  /**
   * Sends to the recipients of one page that are not done.
   * @param deadline time (ms since the epoch) after which no new recipient is started; the
   *   rest is returned in `later`. Default: none.
   */
  async sendPage(page: SendPage, deadline = Number.POSITIVE_INFINITY): Promise<PageOutcome> {
    const counts = { sent: 0, failed: 0, suppressed: 0, done: 0, retry: 0, later: 0, unknown: 0 };
    const issue = await this.deps.issues.get(page.issueId);
    // A page of an issue that is done (or unknown here) is a late duplicate: nothing to do.
    if (!issue || issue.status === 'done') return { retry: false, counts, errors: [] };
    const ids = [...new Set(page.subscriberIds)];
    const [records, subscribers, template] = await Promise.all([
      this.deps.ledger.getMany(issue.issueId, ids),
      this.deps.subscribers.getMany(ids),
      this.template(issue),
    ]);
    const errors: string[] = [];
    const context: PageContext = {
      issue,
      template,
      bucket: this.bucketFor(issue.rate ?? this.deps.config.sendRate),
      records: new Map(records.map((record) => [record.subscriberId, record])),
      subscribers: new Map(subscribers.map((subscriber) => [subscriber.id, subscriber])),
      drained: once(() => this.deps.events.isDrained()),
      deadline,
    };
    const results = await pool(ids, inFlight(context.bucket.rate), (id) =>
      // Whatever failed before SES was called left nothing sent: the page comes back.
      this.deliver(context, id).catch((error: unknown): Result => {
        if (errors.length < 5) errors.push(withoutAddresses(String(error)));
        return { kind: 'retry' };
      }),
    );
    const later: string[] = [];
    let delaySeconds = Number.POSITIVE_INFINITY;
    for (const [index, result] of results.entries()) {
      counts[result.kind]++;
      if (result.kind === 'later' || result.kind === 'unknown') {
        later.push(ids[index] as string);
        delaySeconds = Math.min(delaySeconds, result.delaySeconds);
      }
    }
    return {
      retry: counts.retry > 0,
      ...(later.length > 0 ? { later: { subscriberIds: later, delaySeconds } } : {}),
      counts,
      errors,
    };
  }

  /**
   * One recipient of a page, step by step: may its record be claimed (`claimableAs`)? If the
   * subscriber is no longer active, or their message cannot be written, the record is settled
   * without sending (`settleUnsent`). Otherwise, until the page's time runs out: claim the
   * record and take a token (`claimSend`), call SES with the claim as a tag, and write what
   * SES answered (`settleSend`); an answer that SES took nothing is tried again with backoff.
   */
  private async deliver(page: PageContext, subscriberId: string): Promise<Result> {
    const { issueId } = page.issue;
    const record = page.records.get(subscriberId);
    // Not in this issue's ledger (forgotten since): nobody to send to.
    if (!record) return { kind: 'done' };
    const write: RecordWrite = (expected, change, at) =>
      this.deps.ledger.update(issueId, subscriberId, expected, change, at);
    const claimable = await claimableAs(record, {
      unknownWindowSeconds: this.deps.unknownWindowSeconds,
      now: () => this.deps.now(),
      drained: page.drained,
    });
    if (claimable.kind !== 'claimable') return claimable;
    let { expected } = claimable;

    const subscriber = page.subscribers.get(subscriberId);
    if (subscriber?.status !== 'active') {
      const moved = await settleUnsent(write, expected, { status: 'suppressed' }, this.at());
      return moved ? { kind: 'suppressed' } : { kind: 'later', delaySeconds: RECHECK_SECONDS };
    }
    let message: Omit<OutgoingMessage, 'tags'>;
    try {
      message = this.message(page, subscriber);
    } catch (error) {
      if (!(error instanceof HeaderValueError)) throw error;
      const outcome = { status: 'failed', error: error.message } as const;
      const moved = await settleUnsent(write, expected, outcome, this.at());
      return moved ? { kind: 'failed' } : { kind: 'later', delaySeconds: RECHECK_SECONDS };
    }

    const claimDeps = {
      unknownWindowSeconds: this.deps.unknownWindowSeconds,
      newId: () => this.deps.newId(),
      now: () => this.deps.now(),
      takeToken: () => page.bucket.take(),
    };
    for (let attempt = 1; ; attempt++) {
      if (this.deps.now().getTime() > page.deadline) return { kind: 'later', delaySeconds: 0 };
      const claim = await claimSend(write, expected, claimDeps);
      if (claim === undefined) return { kind: 'later', delaySeconds: RECHECK_SECONDS };
      const answer = await this.callSes({ ...message, tags: { issueId, subscriberId, claim } });
      const settled = await settleSend(write, claim, answer, () => this.deps.now());
      if (settled === 'unknown') {
        return { kind: 'unknown', delaySeconds: this.deps.unknownWindowSeconds };
      }
      if (settled !== 'not-sent') return { kind: settled };
      if (attempt >= MAX_TRIES) return { kind: 'retry' };
      await this.clock.sleep(backoff(attempt));
      expected = { status: ['queued'] };
    }
  }

  /** Calls SES: its MessageId, or the error the call ended with, for `settleSend` to read. */
  private async callSes(message: OutgoingMessage): Promise<SesAnswer> {
    try {
      return await this.deps.mailer.send(message);
    } catch (error) {
      return { error };
    }
  }

  /**
   * One subscriber's message, without its tags.
   * @throws HeaderValueError when their address cannot be written into a header
   */
  private message(page: PageContext, subscriber: Subscriber): Omit<OutgoingMessage, 'tags'> {
    const to = headerAddress(subscriber.email);
    const raw = page.template.fill({
      subscriberId: subscriber.id,
      address: subscriber.email,
      name: subscriber.name ?? '',
      unsubscribeToken: signSubscriberToken(this.deps.tokenKey, subscriber.id, 'unsubscribe', {
        issueId: page.issue.issueId,
      }),
    });
    return { to, raw };
  }

  /** The issue's message template, built once per sender. */
  private template(issue: Issue): Promise<MimeTemplate> {
    let template = this.templates.get(issue.issueId);
    if (!template) {
      template = this.buildTemplate(issue);
      template.catch(() => this.templates.delete(issue.issueId));
      this.templates.set(issue.issueId, template);
      for (const key of this.templates.keys()) {
        if (this.templates.size <= TEMPLATES_KEPT) break;
        this.templates.delete(key);
      }
    }
    return template;
  }

  private async buildTemplate(issue: Issue): Promise<MimeTemplate> {
    const rendered = await this.deps.renderedIssues.get(issue.issueId);
    if (!rendered) throw new Error(`issue ${issue.issueId} has no stored render`);
    const { config } = this.deps;
    return buildMimeTemplate(rendered, {
      from: { name: config.listName, address: config.fromEmail },
      listId: config.listId,
      listName: config.listName,
      publicBaseUrl: config.publicBaseUrl,
    });
  }

  private bucketFor(issueRate: number): TokenBucket {
    const rate = senderRate(issueRate, this.deps.config.sendConcurrency);
    if (this.bucket?.rate !== rate) this.bucket = new TokenBucket(rate, this.clock);
    return this.bucket;
  }

  private at(): string {
    return this.deps.now().toISOString();
  }
}

/** Milliseconds to wait before try `attempt + 1`: doubling from 100 ms, at most 2 s, jittered. */
function backoff(attempt: number): number {
  return Math.min(2000, 50 * 2 ** attempt) * (0.5 + Math.random() / 2);
}

/** Calls `work` once, on first use, and shares its answer. */
function once<T>(work: () => Promise<T>): () => Promise<T> {
  let answer: Promise<T> | undefined;
  return () => {
    answer ??= work();
    return answer;
  };
}

/** `work` over `items` with at most `size` at once; results in the order of `items`. */
async function pool<T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>) {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  return results;
}
