import { addressHash } from '../common/address-hash.ts';
import type { Config } from '../common/config.ts';
import { MailNotSentError } from '../sending/mail-errors.ts';
import { pendingEraseAfter } from './pending-erase-after.ts';
import type {
  DueConfirmation,
  RateCounters,
  SignupQueue,
  SignupRequest,
  Subscriber,
} from './ports.ts';
import { queueLeaveLink } from './queue-leave-link.ts';
import { CONFIRMATION_INTERVAL_MINUTES, sendConfirmation } from './send-confirmation.ts';
import { LEAVE_LINK_STATUSES, sendLeaveLink } from './send-leave-link.ts';
import { blocksAllMail, type SubscriptionDeps, wholeSecond } from './subscription-deps.ts';

/** What storing the sign-ups of the form and mailing their confirmations needs. */
export interface DueConfirmationDeps extends SubscriptionDeps {
  config: SubscriptionDeps['config'] & Pick<Config, 'confirmationsPerHour' | 'pendingDays'>;
  signups: SignupQueue;
  /** Holds the list's hourly count of confirmation emails. */
  counters: RateCounters;
}

/** What one run did, for the log (counts only: no address). */
export interface DueConfirmationsOutcome {
  /**
   * Requests stored as subscribers whose confirmation is due, and requests for a link to
   * leave whose email is due.
   */
  stored: number;
  /** Confirmation emails, and emails with a link to leave, that the mail service took. */
  sent: number;
  /**
   * Requests and emails due that needed no email: the address is subscribed (for a sign-up),
   * is not on the list (for a link to leave), is suppressed, had one less than
   * `CONFIRMATION_INTERVAL_MINUTES` ago, was refused by the mail service, or its request is
   * gone or older than `pendingDays`.
   */
  dropped: number;
  /**
   * Why confirmations are left waiting for a later run: the hourly budget is spent (until
   * `until`), or the mail service took nothing (throttled, unavailable). Absent: none waits.
   */
  deferred?: { reason: 'budget'; until: Date } | { reason: 'mail-service' };
}

/** The counter of the list's confirmation emails, and its window (seconds). */
export const CONFIRMATIONS_COUNTER = 'confirmations';
export const CONFIRMATIONS_WINDOW_SECONDS = 3600;
const DAY_MS = 24 * 3600_000;
/** Entries read from the queue at a time. */
const PAGE = 100;
/** Most requests stored, and most confirmations handled, in one run: the next run goes on. */
export const MAX_PER_RUN = 1000;

/**
 * The work that `POST /subscribe` leaves for later, run every minute (the scheduled-issue
 * tick on AWS, `newsletter serve` locally). First every request waiting is stored, as the
 * form's sign-up was before: an address suppressed after a bounce or a complaint gets nothing,
 * a new one becomes a pending subscriber, a subscribed one stays as it is, and one that
 * waits, or left and asks to come back, is due a new link. Then the confirmations due are
 * mailed oldest first, each counted against `confirmationsPerHour` for the whole list (at
 * most that many in an hour from the first counted, across every instance); past it they wait
 * for a later run. An address is mailed at most once per `CONFIRMATION_INTERVAL_MINUTES`,
 * however often it was asked for. A budget unit taken for an email that turned out not to be
 * due (a concurrent run mailed it first) or that the mail service did not take is not given
 * back: the budget errs on the side of mailing less.
 * Requests for a link to leave (`requestLeaveLink`, `kind` `leave-link`) go the same way:
 * one whose address is on the list (`queueLeaveLink`) is due an email with the subscriber's
 * one-click link (`sendLeaveLink`), in the same order, budget and spacing as the
 * confirmations; any other is dropped.
 */
export async function sendDueConfirmations(
  deps: DueConfirmationDeps,
): Promise<DueConfirmationsOutcome> {
  const outcome: DueConfirmationsOutcome = { stored: 0, sent: 0, dropped: 0 };
  for (let handled = 0; handled < MAX_PER_RUN; ) {
    const requests = await deps.signups.oldestRequests(PAGE);
    for (const request of requests.slice(0, MAX_PER_RUN - handled)) {
      handled++;
      outcome[await storeRequest(deps, request)]++;
    }
    if (requests.length < PAGE) break;
  }
  for (let handled = 0; handled < MAX_PER_RUN; ) {
    const due = await deps.signups.oldestDue(PAGE);
    for (const entry of due.slice(0, MAX_PER_RUN - handled)) {
      handled++;
      const subscriber = isStale(deps, entry)
        ? undefined
        : await deps.subscribers.get(entry.subscriberId);
      if (subscriber && isDue(subscriber, entry, deps.now())) {
        const counted = await deps.counters.count(
          CONFIRMATIONS_COUNTER,
          deps.config.confirmationsPerHour,
          CONFIRMATIONS_WINDOW_SECONDS,
          deps.now(),
        );
        if (!counted.counted) {
          outcome.deferred = { reason: 'budget', until: counted.until };
          return outcome;
        }
        try {
          const send = entry.kind === 'leave-link' ? sendLeaveLink : sendConfirmation;
          const sent = await send(deps, subscriber);
          outcome[sent === 'sent' ? 'sent' : 'dropped']++;
        } catch (error) {
          if (!(error instanceof MailNotSentError)) throw error;
          // Nothing went out: the entry stays, for the next run.
          outcome.deferred = { reason: 'mail-service' };
          return outcome;
        }
      } else {
        outcome.dropped++;
      }
      await deps.signups.removeDue(entry.id);
    }
    if (due.length < PAGE) break;
  }
  return outcome;
}

/**
 * Stores a request as the form stored it before: returns `stored` when a confirmation is now
 * due for it, `dropped` when none will be.
 */
async function storeRequest(
  deps: DueConfirmationDeps,
  request: SignupRequest,
): Promise<'stored' | 'dropped'> {
  if (request.kind === 'leave-link') {
    const due = !isStale(deps, request) && (await queueLeaveLink(deps, request));
    await deps.signups.removeRequest(request.id);
    return due ? 'stored' : 'dropped';
  }
  let needed = !isStale(deps, request);
  if (needed) {
    const suppression = await deps.suppressions.get(addressHash(deps.hashKey, request.email));
    needed = !blocksAllMail(suppression);
  }
  if (needed) {
    const at = new Date(request.requestedAt);
    const { subscriber } = await deps.subscribers.add({
      id: deps.newId(),
      email: request.email,
      ...(request.name ? { name: request.name } : {}),
      status: 'pending',
      source: 'form',
      createdAt: request.requestedAt,
      updatedAt: request.requestedAt,
      pendingSince: wholeSecond(at),
      eraseAfter: pendingEraseAfter(at, deps.config.pendingDays),
    });
    needed = subscriber.status === 'pending' || subscriber.status === 'unsubscribed';
    if (needed) {
      // Before the request goes: a crash between the two leaves the request, which is
      // stored again into the same entry.
      await deps.signups.addDue({
        id: request.id,
        subscriberId: subscriber.id,
        requestedAt: request.requestedAt,
        eraseAfter: request.eraseAfter,
      });
    }
  }
  await deps.signups.removeRequest(request.id);
  return needed ? 'stored' : 'dropped';
}

/**
 * True for a sign-up older than `pendingDays`: one that nothing could confirm in time is
 * never mailed (`eraseStalePendings` erases what is left of it).
 */
function isStale(deps: DueConfirmationDeps, entry: { requestedAt: string }): boolean {
  return deps.now().getTime() - Date.parse(entry.requestedAt) > deps.config.pendingDays * DAY_MS;
}

/**
 * True while a subscriber waits for a confirmation (or, for a link to leave, is on the list)
 * and has not been mailed either within the interval.
 */
function isDue(subscriber: Subscriber, entry: DueConfirmation, now: Date): boolean {
  const statuses =
    entry.kind === 'leave-link' ? LEAVE_LINK_STATUSES : (['pending', 'unsubscribed'] as const);
  if (!statuses.includes(subscriber.status)) return false;
  const last = subscriber.confirmationSentAt ? Date.parse(subscriber.confirmationSentAt) : 0;
  return now.getTime() - last >= CONFIRMATION_INTERVAL_MINUTES * 60_000;
}
