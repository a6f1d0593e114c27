import type { Config } from '../common/config.ts';
import { withoutAddresses } from '../common/without-addresses.ts';
import type { EventBacklog } from '../events/ports.ts';
import type { Issue, IssueStore, RenderedIssueStore } from '../issues/ports.ts';
import type { Subscriber, SubscriberPages } from '../subscribers/ports.ts';
import { signSubscriberToken } from '../subscribers/subscriber-token.ts';
import { HeaderValueError } from './build-message.ts';
import { MailNotSentError, MailRejectedError } from './mail-errors.ts';
import { buildMimeTemplate, headerAddress, type MimeTemplate } from './mime-template.ts';
import type { Mailer, SendExpectation, SendLedger, SendPage, SendRecord } from './ports.ts';
import { inFlight, SES_CALL_TIMEOUT_MS, senderRate } from './send-pacing.ts';
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

/** Tries per recipient while SES answers with errors that mean "nothing sent, try again". */
const MAX_TRIES = 8;
/** Seconds before a recipient whose record another sender moved is looked at again. */
const RECHECK_SECONDS = 2;
/** Templates kept per sender: the issue being sent and, briefly, its predecessor. */
const TEMPLATES_KEPT = 2;

/**
 * Sends pages of an issue's recipients: the work of the send-batch handler. One `Sender` per
 * container (locally, per poller slot) keeps the issue's message template, built once, and a
 * token bucket at its share of the issue's rate (`rate / sendConcurrency`), so that the rate
 * holds across every sender that may run at once.
 *
 * Per recipient: the values are filled into the template, a token is taken, the ledger
 * record is claimed (a conditional write with a new claim id), SES is called with the issue,
 * subscriber and claim as tags, and the outcome is written: `sent` with SES's MessageId,
 * `failed` when SES refused the message, back to `queued` when SES answered with an error
 * (retried here with backoff, then left for the page to come back), and `unknown` when there
 * was no answer. An `unknown` (or a `claimed` left by a crash) is never sent again blindly:
 * SES's `Send` event turns it into `sent`; only when the window has passed without one, and
 * no SES event waits to be applied, is it claimed again and sent.
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
    const context = {
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

  private async deliver(
    page: {
      issue: Issue;
      template: MimeTemplate;
      bucket: TokenBucket;
      records: Map<string, SendRecord>;
      subscribers: Map<string, Subscriber>;
      drained: () => Promise<boolean>;
      deadline: number;
    },
    subscriberId: string,
  ): Promise<Result> {
    const { issueId } = page.issue;
    const record = page.records.get(subscriberId);
    // Not in this issue's ledger (forgotten since): nobody to send to.
    if (!record) return { kind: 'done' };
    let expected: SendExpectation;
    if (record.status === 'queued') {
      expected = { status: ['queued'] };
    } else if (record.status === 'claimed' || record.status === 'unknown') {
      const settles = Date.parse(record.updatedAt) + this.deps.unknownWindowSeconds * 1000;
      const now = this.deps.now().getTime();
      if (now < settles) return { kind: 'later', delaySeconds: Math.ceil((settles - now) / 1000) };
      // The window has passed; the Send event may still wait in the consumer's backlog.
      if (!(await page.drained())) return { kind: 'later', delaySeconds: this.backlogRecheck() };
      // No Send event came: SES did not take that message, so this one is the first.
      expected = {
        status: [record.status],
        claim: record.claim ?? null,
        updatedAt: record.updatedAt,
      };
    } else {
      return { kind: 'done' };
    }

    const subscriber = page.subscribers.get(subscriberId);
    if (subscriber?.status !== 'active') {
      const moved = await this.deps.ledger.update(
        issueId,
        subscriberId,
        expected,
        { status: 'suppressed', claim: null },
        this.at(),
      );
      return moved ? { kind: 'suppressed' } : { kind: 'later', delaySeconds: RECHECK_SECONDS };
    }
    let to: string;
    let raw: Buffer;
    try {
      to = headerAddress(subscriber.email);
      raw = page.template.fill({
        subscriberId,
        address: subscriber.email,
        name: subscriber.name ?? '',
        unsubscribeToken: signSubscriberToken(this.deps.tokenKey, subscriberId, 'unsubscribe', {
          issueId,
        }),
      });
    } catch (error) {
      if (!(error instanceof HeaderValueError)) throw error;
      const moved = await this.deps.ledger.update(
        issueId,
        subscriberId,
        expected,
        { status: 'failed', claim: null, error: error.message },
        this.at(),
      );
      return moved ? { kind: 'failed' } : { kind: 'later', delaySeconds: RECHECK_SECONDS };
    }

    for (let attempt = 1; ; attempt++) {
      if (this.deps.now().getTime() > page.deadline) return { kind: 'later', delaySeconds: 0 };
      let claim = this.deps.newId();
      let claimedAt = this.deps.now().getTime();
      const claimed = await this.deps.ledger.update(
        issueId,
        subscriberId,
        expected,
        { status: 'claimed', claim },
        new Date(claimedAt).toISOString(),
      );
      if (!claimed) return { kind: 'later', delaySeconds: RECHECK_SECONDS };
      // The token comes last, right before SES: the less happens between the two, the closer
      // SES's own count per second follows the bucket. The wait is short (a sender works on
      // about half a second of its rate at once)...
      await page.bucket.take();
      if (this.deps.now().getTime() - claimedAt > this.freshClaimMs()) {
        // ...but should it have been long (a very low rate, a stalled process), another
        // sender could take the claim over during the call: renew it first.
        const renewed = this.deps.newId();
        claimedAt = this.deps.now().getTime();
        const kept = await this.deps.ledger.update(
          issueId,
          subscriberId,
          { status: ['claimed'], claim },
          { status: 'claimed', claim: renewed },
          new Date(claimedAt).toISOString(),
        );
        if (!kept) return { kind: 'later', delaySeconds: RECHECK_SECONDS };
        claim = renewed;
      }
      const held = { status: ['claimed'] as const, claim };
      let messageId: string;
      try {
        ({ messageId } = await this.deps.mailer.send({
          to,
          raw,
          tags: { issueId, subscriberId, claim },
        }));
      } catch (error) {
        try {
          if (error instanceof MailRejectedError) {
            const reason = withoutAddresses(error.message);
            await this.deps.ledger.update(
              issueId,
              subscriberId,
              held,
              { status: 'failed', error: reason },
              this.at(),
            );
            return { kind: 'failed' };
          }
          if (error instanceof MailNotSentError) {
            await this.deps.ledger.update(
              issueId,
              subscriberId,
              held,
              { status: 'queued', claim: null },
              this.at(),
            );
            if (attempt >= MAX_TRIES) return { kind: 'retry' };
            await this.clock.sleep(backoff(attempt));
            expected = { status: ['queued'] };
            continue;
          }
          await this.deps.ledger.update(
            issueId,
            subscriberId,
            held,
            { status: 'unknown' },
            this.at(),
          );
        } catch {
          // The record keeps its claim: it settles like an unknown outcome.
        }
        return { kind: 'unknown', delaySeconds: this.deps.unknownWindowSeconds };
      }
      try {
        // `sent` too: SES's Send event may have been applied before SES's answer came.
        await this.deps.ledger.update(
          issueId,
          subscriberId,
          { status: ['claimed', 'unknown', 'sent'], claim },
          { status: 'sent', messageId },
          this.at(),
        );
      } catch {
        // Sent, but not recorded: the record keeps its claim until SES's Send event comes.
        return { kind: 'unknown', delaySeconds: this.deps.unknownWindowSeconds };
      }
      return { kind: 'sent' };
    }
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

  /**
   * How old a claim may be when SES is called: another sender may take a claim over once the
   * window has passed since it was made, so the call (at most `SES_CALL_TIMEOUT_MS`) must
   * end before that, with room to spare for clocks that differ.
   */
  private freshClaimMs(): number {
    return (this.deps.unknownWindowSeconds * 1000 - SES_CALL_TIMEOUT_MS) / 2;
  }

  /** While SES events wait to be applied, look again after about a quarter of the window. */
  private backlogRecheck(): number {
    return Math.min(60, Math.max(RECHECK_SECONDS, Math.ceil(this.deps.unknownWindowSeconds / 4)));
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
