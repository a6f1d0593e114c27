import type { Config } from '../common/config.ts';
import { withoutAddresses } from '../common/without-addresses.ts';
import type { EventBacklog } from '../events/ports.ts';
import { canaryHolds } from '../issues/canary-holds.ts';
import type { Issue, IssueStore, RenderedIssueStore } from '../issues/ports.ts';
import type { LinkKeySource, LinkKeys } from '../subscribers/link-keys.ts';
import type { Subscriber, SubscriberPages } from '../subscribers/ports.ts';
import { HeaderValueError } from './build-message.ts';
import { claimableAs, claimSend, RECHECK_SECONDS, type RecordWrite } from './claim-send.ts';
import { IssueLease } from './issue-lease.ts';
import { buildMimeTemplate, headerAddress, type MimeTemplate } from './mime-template.ts';
import type {
  Mailer,
  OutgoingMessage,
  SendChange,
  SendExpectation,
  SendLeases,
  SendLedger,
  SendPage,
  SendRecord,
} from './ports.ts';
import { issueUnsubscribeToken } from './recipient-values.ts';
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
  /** A strongly consistent read of the issue, under each term of the sender's lease. */
  issues: Pick<IssueStore, 'get'>;
  ledger: Pick<SendLedger, 'getMany' | 'update'>;
  /** Where the sender holds its lease on the issue it claims records of (see `IssueLease`). */
  leases: Pick<SendLeases, 'hold' | 'release'>;
  subscribers: Pick<SubscriberPages, 'getMany'>;
  renderedIssues: Pick<RenderedIssueStore, 'get'>;
  mailer: Mailer;
  events: EventBacklog;
  /**
   * The keys of unsubscribe links, read at the start of each page: the newest signs them (a
   * key added since is used from the next read on).
   */
  linkKeys: LinkKeySource;
  /** A new opaque ULID: the claim of each attempt, and the holder of the sender's leases. */
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
   * item failure, after `pageRetrySeconds`). The ledger skips whoever is done by then.
   */
  retry: boolean;
  /**
   * Recipients to look at again after `delaySeconds`: sends of unknown outcome waiting for
   * SES's `Send` event or the window, records another sender holds, and the rest of a page
   * that ran out of time.
   */
  later?: { subscriberIds: string[]; delaySeconds: number };
  /**
   * How many recipients of the page ended how, for the log. `paused`: let go untouched because
   * the issue is paused (its resume enqueues them again); `cancelled`: marked `cancelled`
   * because the issue is (a `claimed` or `unknown` record of a cancelled issue is left to
   * settle from SES's events, and counts as `done`).
   */
  counts: Record<Result['kind'], number>;
  /** What went wrong besides SES's answers (at most five, without addresses), for the log. */
  errors: string[];
}

type Result =
  | { kind: 'sent' | 'failed' | 'suppressed' | 'done' | 'retry' | 'paused' | 'cancelled' }
  | { kind: 'later' | 'unknown'; delaySeconds: number };

/** What one page's recipients share while they are sent. */
interface PageContext {
  issue: Issue;
  /** The sender's lease on the issue: asked before each claim and again before SES. */
  lease: IssueLease;
  template: MimeTemplate;
  /** The link keys as read for the page: its unsubscribe links are signed with the newest. */
  linkKeys: LinkKeys;
  bucket: TokenBucket;
  records: Map<string, SendRecord>;
  subscribers: Map<string, Subscriber>;
  /** Whether no SES event waits to be applied, asked at most once a page. */
  drained: () => Promise<boolean>;
  /** Whether the issue's canary holds, so that its `held` records are left alone. */
  canaryHolds: boolean;
  /** Time (ms since the epoch) after which no recipient is started. */
  deadline: number;
}

/** Tries per recipient while SES answers with errors that mean "nothing sent, try again". */
const MAX_TRIES = 8;
/** Templates kept per sender: the issue being sent and, briefly, its predecessor. */
const TEMPLATES_KEPT = 2;
/** Records of a cancelled issue's page marked `cancelled` at once. */
const CANCELS_IN_FLIGHT = 16;

/** A sender's lease on an issue, shared by the pages of it that the sender works on at once. */
interface LeaseUse {
  lease: IssueLease;
  pages: number;
}

/**
 * Sends pages of an issue's recipients: the work of the send-batch handler. One `Sender` per
 * container (locally, per poller slot) keeps the issue's message template, built once, and a
 * token bucket at its share of the issue's rate (`rate / sendConcurrency`), so that the rate
 * holds across every sender that may run at once.
 *
 * Per recipient, steps kept in `claim-send.ts` and `settle-send.ts` so that the exactly-once
 * argument can be read one step at a time (docs/sending.md tells it whole): `claimableAs`
 * decides whether the ledger record may be taken (a `queued` one at once; a `held` one once
 * the issue's canary is over; an `unknown` or abandoned `claimed` one only once the window
 * has passed with no SES `Send` event and none waiting to be applied); `claimSend` takes it
 * with a conditional write and a new claim id, then a token; SES is called with the issue,
 * subscriber and claim as tags; `settleSend` writes what SES answered: `sent`, `failed`,
 * `queued` again (tried here with backoff, then left for the page to come back) or
 * `unknown`.
 *
 * Every claim is made under the sender's lease on the issue (`IssueLease`, one holder id per
 * sender), so that pausing or cancelling an issue can wait until no sender claims any more
 * (`awaitSenders`): the lease must read `sending` right before the claim, and again right
 * before SES is called.
 */
export class Sender {
  private readonly templates = new Map<string, Promise<MimeTemplate>>();
  private bucket: TokenBucket | undefined;
  private readonly clock: Clock;
  /** The holder of this sender's leases: one id per sender. */
  private readonly holder: string;
  /** The leases this sender holds, by issue, while it works on pages of them. */
  private readonly leases = new Map<string, LeaseUse>();

  constructor(private readonly deps: SenderDeps) {
    this.clock = deps.clock ?? systemClock;
    this.holder = deps.newId();
  }

  /**
   * Sends to the recipients of one page that are not done, under the sender's lease on the
   * issue (see `IssueLease`): a term is written, then the issue read, before anything of the
   * page is claimed, and the lease is released when the page is done. By the issue's state:
   *
   * - `sending`: sends, while each term of the lease reads `sending`; `held` records only once
   *   the issue's canary is over (as read under a new term when the page has any);
   * - `paused`: lets the page go as it is, with no retry: the issue's resume enqueues whatever
   *   the ledger says is not done;
   * - `cancelled`: marks the page's `queued` and `held` records `cancelled`; `claimed` and
   *   `unknown` ones settle from SES's events and are never sent again;
   * - `sent`, `draft`, or no such issue: a late duplicate, dropped.
   *
   * A pause or cancellation read at a renewal in the middle of the page stops its claims: the
   * recipients not yet claimed are treated as above.
   * @param deadline time (ms since the epoch) after which no new recipient is started; the
   *   rest is returned in `later`. Default: none.
   */
  async sendPage(page: SendPage, deadline = Number.POSITIVE_INFINITY): Promise<PageOutcome> {
    const use = this.holdLease(page.issueId);
    let outcome: PageOutcome;
    try {
      outcome = await this.sendLeased(page, use.lease, deadline);
    } catch (error) {
      await this.letGo(use).catch(() => undefined);
      throw error;
    }
    try {
      await this.letGo(use);
    } catch (error) {
      // The term ends by itself within LEASE_MS: a pause waits that long at most.
      if (outcome.errors.length < 5) {
        outcome.errors.push(`lease not released: ${withoutAddresses(String(error))}`);
      }
    }
    return outcome;
  }

  private async sendLeased(
    page: SendPage,
    lease: IssueLease,
    deadline: number,
  ): Promise<PageOutcome> {
    const counts = noCounts();
    const ids = [...new Set(page.subscriberIds)];
    // The term kept from the last page, while it allows claims; else a new one.
    const issue = await lease.current();
    if (issue?.state === 'paused') {
      counts.paused = ids.length;
      return { retry: false, counts, errors: [] };
    }
    if (issue?.state === 'cancelled') return this.cancelPage(issue.issueId, ids);
    // A page of an issue that is sent (or unknown here) is a late duplicate: nothing to do.
    if (issue?.state !== 'sending') return { retry: false, counts, errors: [] };
    const [records, subscribers, template, linkKeys] = await Promise.all([
      this.deps.ledger.getMany(issue.issueId, ids),
      this.deps.subscribers.getMany(ids),
      this.template(issue),
      this.deps.linkKeys.current(),
    ]);
    let holds = canaryHolds(issue);
    if (holds && records.some((record) => record.status === 'held')) {
      // Held records come in pages once the canary has ended; a term kept from an earlier page
      // may have read the issue before that, so a new term reads it again.
      const fresh = await lease.renew();
      holds = fresh === undefined || canaryHolds(fresh);
    }
    const errors: string[] = [];
    const context: PageContext = {
      issue,
      lease,
      template,
      linkKeys,
      bucket: this.bucketFor(issue.rate ?? this.deps.config.sendRate),
      records: new Map(records.map((record) => [record.subscriberId, record])),
      subscribers: new Map(subscribers.map((subscriber) => [subscriber.id, subscriber])),
      drained: once(() => this.deps.events.isDrained()),
      canaryHolds: holds,
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
   * The lease is asked before each claim and before each SES call: an issue no longer
   * `sending` stops the recipient there (`stopped`, or `giveBack` once claimed).
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
      canaryHolds: page.canaryHolds,
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
      const before = await page.lease.current();
      if (before?.state !== 'sending') return this.stopped(write, expected, before);
      const claim = await claimSend(write, expected, claimDeps);
      if (claim === undefined) return { kind: 'later', delaySeconds: RECHECK_SECONDS };
      // Once the claim is made, and the token taken (which may have been a long wait), SES is
      // called only under a term that still allows it: else the claim is given back untouched.
      let after: Issue | undefined;
      try {
        after = await page.lease.current();
      } catch (error) {
        await this.giveBack(write, claim, expected, undefined).catch(() => undefined);
        throw error;
      }
      if (after?.state !== 'sending') return this.giveBack(write, claim, expected, after);
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

  /**
   * What becomes of a recipient not yet claimed when the lease reads that the issue is no
   * longer `sending`: paused, nothing is touched; cancelled, a `queued` or `held` record is
   * marked `cancelled` (one conditional write on its status), a `claimed` or `unknown` one is
   * left to settle from SES's events; any other state (sent, or no such issue), nothing to do.
   */
  private async stopped(
    write: RecordWrite,
    expected: SendExpectation,
    issue: Issue | undefined,
  ): Promise<Result> {
    if (issue?.state === 'paused') return { kind: 'paused' };
    if (issue?.state !== 'cancelled' || !isUnclaimed(expected)) return { kind: 'done' };
    const moved = await write(expected, { status: 'cancelled', claim: null }, this.at());
    // Not as read any more: another sender moved it, and deals with it.
    return moved ? { kind: 'cancelled' } : { kind: 'done' };
  }

  /**
   * Undoes a claim that may not be followed by an SES call (the issue is no longer `sending`,
   * or no term of the lease could be begun): the record goes back to what it was when claimed
   * (`queued` or `held`, or `claimed`/`unknown` with the earlier attempt's claim), or to
   * `cancelled` when it was `queued` or `held` and the issue is cancelled. SES was not
   * called: nothing is lost, and should this write fail the claim settles as an unknown
   * outcome would, after the window.
   */
  private async giveBack(
    write: RecordWrite,
    claim: string,
    expected: SendExpectation,
    issue: Issue | undefined,
  ): Promise<Result> {
    const unclaimed = isUnclaimed(expected);
    const cancel = issue?.state === 'cancelled' && unclaimed;
    const before = expected.status[0] ?? 'queued';
    const change: SendChange = unclaimed
      ? { status: cancel ? 'cancelled' : before, claim: null }
      : { status: before, claim: expected.claim ?? null };
    const moved = await write({ status: ['claimed'], claim }, change, this.at());
    if (issue?.state === 'paused') return { kind: 'paused' };
    return cancel && moved ? { kind: 'cancelled' } : { kind: 'done' };
  }

  /**
   * A page of a cancelled issue: its `queued` and `held` records become `cancelled` (one
   * conditional write each, on its status), its `claimed` and `unknown` ones are left to
   * settle from SES's events. No SES call, no lease needed past the read that found the issue
   * cancelled.
   */
  private async cancelPage(issueId: string, ids: readonly string[]): Promise<PageOutcome> {
    const counts = noCounts();
    const errors: string[] = [];
    const records = new Map(
      (await this.deps.ledger.getMany(issueId, ids)).map((record) => [record.subscriberId, record]),
    );
    const results = await pool(ids, CANCELS_IN_FLIGHT, async (id): Promise<Result['kind']> => {
      // `claimed` and `unknown` records settle from SES's events; final ones are done.
      const status = records.get(id)?.status;
      if (status !== 'queued' && status !== 'held') return 'done';
      try {
        const change = { status: 'cancelled', claim: null } as const;
        const moved = await this.deps.ledger.update(
          issueId,
          id,
          { status: [status] },
          change,
          this.at(),
        );
        return moved ? 'cancelled' : 'done';
      } catch (error) {
        if (errors.length < 5) errors.push(withoutAddresses(String(error)));
        return 'retry';
      }
    });
    for (const kind of results) counts[kind]++;
    return { retry: counts.retry > 0, counts, errors };
  }

  /** This sender's lease on an issue, shared with its other pages of the issue under way. */
  private holdLease(issueId: string): LeaseUse {
    let use = this.leases.get(issueId);
    if (!use) {
      // Terms kept for other issues between their pages end by themselves.
      for (const [other, kept] of this.leases) if (kept.pages === 0) this.leases.delete(other);
      use = { lease: new IssueLease(this.deps, issueId, this.holder), pages: 0 };
      this.leases.set(issueId, use);
    }
    use.pages++;
    return use;
  }

  /**
   * Ends a page's use of the lease: the last page of the issue under way releases it, unless
   * its term still allows claims on an issue that is sending. That term is kept for the
   * sender's next page of the issue, which then starts without writing a term and reading the
   * issue first (at a low rate that pause between pages costs pace); a pause waits for it to
   * end, within `LEASE_MS`. The lease stays known (so a page that comes meanwhile writes its
   * term after the release) until the release is done.
   */
  private async letGo(use: LeaseUse): Promise<void> {
    if (--use.pages > 0 || use.lease.allowsClaims()) return;
    try {
      await use.lease.release();
    } finally {
      if (use.pages === 0 && this.leases.get(use.lease.issueId) === use) {
        this.leases.delete(use.lease.issueId);
      }
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
      unsubscribeToken: issueUnsubscribeToken(page.linkKeys, subscriber.id, page.issue.issueId),
    });
    return { to, raw };
  }

  /** The issue's message template, built once per sender. */
  private template(issue: Issue): Promise<MimeTemplate> {
    const key = `${issue.issueId}/${issue.version}`;
    let template = this.templates.get(key);
    if (!template) {
      template = this.buildTemplate(issue);
      template.catch(() => this.templates.delete(key));
      this.templates.set(key, template);
      for (const key of this.templates.keys()) {
        if (this.templates.size <= TEMPLATES_KEPT) break;
        this.templates.delete(key);
      }
    }
    return template;
  }

  private async buildTemplate(issue: Issue): Promise<MimeTemplate> {
    const rendered = await this.deps.renderedIssues.get(issue.issueId, issue.sha256);
    if (!rendered) {
      throw new Error(`issue ${issue.issueId} has no stored render of version ${issue.version}`);
    }
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

/** Every kind of result at 0: a page's counts before it ran. */
export function noCounts(): Record<Result['kind'], number> {
  return {
    sent: 0,
    failed: 0,
    suppressed: 0,
    done: 0,
    retry: 0,
    later: 0,
    unknown: 0,
    paused: 0,
    cancelled: 0,
  };
}

/**
 * Whether a claim expects a record nobody claimed before, `queued` or `held` (not a takeover
 * of a `claimed`/`unknown` one).
 */
function isUnclaimed(expected: SendExpectation): boolean {
  const [status] = expected.status;
  return expected.status.length === 1 && (status === 'queued' || status === 'held');
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
