import type { Issue, IssueStore } from '../issues/ports.ts';
import type { SendLease, SendLeases } from './ports.ts';

/** How long one term of a sender's lease on an issue lasts, in milliseconds. */
export const LEASE_MS = 5_000;

/**
 * Milliseconds before the end of a term from which its sender claims nothing under it (it
 * renews first): room for a claim checked just before that to land, and for a process that
 * stalls between the check and the write.
 */
export const LEASE_MARGIN_MS = 2_000;

/** What a lease on an issue needs. */
export interface IssueLeaseDeps {
  leases: Pick<SendLeases, 'hold' | 'release'>;
  /** A strongly consistent read of the issue. */
  issues: Pick<IssueStore, 'get'>;
  now(): Date;
}

/** A written term and the issue as read after it began. */
interface Term {
  /** When the term ends (ms since the epoch). */
  ends: number;
  issue: Issue | undefined;
}

/**
 * One sender's lease on one issue, in terms of {@link LEASE_MS}: the sender's side of the
 * protocol that lets `awaitSenders` know when no sender can claim a record of a paused or
 * cancelled issue any more.
 *
 * A term is begun by writing it (`SendLeases.hold`, with `since` the time before the write)
 * and only then reading the issue; a claim may be made only under a term whose read said
 * `sending`, and only until {@link LEASE_MARGIN_MS} before the term ends. A new term is begun
 * when that margin is reached, one at a time, and no claim is let through from the moment it
 * may have been written until its read is back: a term written after a pause reads the pause,
 * and a claim under the old term could otherwise follow the new term's write. Lease writes go
 * out one after another (a hold never overtakes a release or an older hold).
 */
export class IssueLease {
  private term: Term | undefined;
  private renewal: Promise<Issue | undefined> | undefined;
  /** The last term written (or tried): what `release` removes. */
  private written: SendLease | undefined;
  /** The lease writes, one after the other. */
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: IssueLeaseDeps,
    readonly issueId: string,
    readonly holder: string,
  ) {}

  /**
   * Begins a new term: writes it, then reads the issue. Callers that come while one is being
   * begun share it.
   * @returns the issue as read under the new term (undefined: there is none)
   */
  renew(): Promise<Issue | undefined> {
    this.renewal ??= this.begin().finally(() => {
      this.renewal = undefined;
    });
    return this.renewal;
  }

  /**
   * The issue as read under a term that allows a claim now: the current one, or a new one
   * when the current term is within its margin (or none was ever begun, or the last failed).
   * Call it right before each claim, and again once the claim is made, before SES is called.
   * @returns the issue as read after the term began; claim only when its state is `sending`
   * @throws what writing the term or reading the issue threw (no term then allows a claim)
   */
  async current(): Promise<Issue | undefined> {
    for (;;) {
      if (this.renewal) {
        await this.renewal;
        continue;
      }
      const term = this.term;
      if (term && this.deps.now().getTime() < term.ends - LEASE_MARGIN_MS) return term.issue;
      await this.renew();
    }
  }

  /**
   * Whether the current term read `sending` and still allows claims: then the sender may keep
   * it for its next page of the issue rather than release it and begin another, at no cost to
   * a pause, which waits for such a term to end anyway.
   */
  allowsClaims(): boolean {
    const term = this.term;
    return (
      this.renewal === undefined &&
      term?.issue?.state === 'sending' &&
      this.deps.now().getTime() < term.ends - LEASE_MARGIN_MS
    );
  }

  /**
   * Ends the lease: removes the last term written, after any write under way. No claim is let
   * through under it afterwards (until a new term).
   */
  async release(): Promise<void> {
    await this.renewal?.catch(() => undefined);
    const written = this.written;
    this.term = undefined;
    this.written = undefined;
    if (written) await this.serially(() => this.deps.leases.release(this.issueId, written));
  }

  private async begin(): Promise<Issue | undefined> {
    // From here on the new term may be stored: nothing more is claimed under the old one.
    this.term = undefined;
    const since = this.deps.now().getTime();
    const lease: SendLease = {
      holder: this.holder,
      since: new Date(since).toISOString(),
      until: new Date(since + LEASE_MS).toISOString(),
    };
    this.written = lease;
    const written = await this.serially(() => this.deps.leases.hold(this.issueId, lease));
    if (!written) {
      // Its clock went back: the stored term may say it began later than this one did, so
      // nothing may be claimed under this one. Its next term, once past that, is written.
      throw new Error(
        `the lease on issue ${this.issueId} holds a later term of this sender than ${lease.since}: its clock went back`,
      );
    }
    const issue = await this.deps.issues.get(this.issueId);
    this.term = { ends: since + LEASE_MS, issue };
    return issue;
  }

  /** Runs a lease write once the writes before it have ended, whatever their outcome. */
  private serially<T>(write: () => Promise<T>): Promise<T> {
    const run = this.writes.then(write, write);
    this.writes = run.catch(() => undefined);
    return run;
  }
}
