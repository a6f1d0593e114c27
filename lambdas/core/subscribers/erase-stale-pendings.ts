import type { Config } from '../common/config.ts';
import type { SignupQueue, Subscriber, SubscriberPages, SubscriberStore } from './ports.ts';

/** What erasing forgotten sign-ups needs. */
export interface StalePendingDeps {
  config: Pick<Config, 'pendingDays'>;
  subscribers: Pick<SubscriberStore, 'remove'>;
  subscriberPages: Pick<SubscriberPages, 'page'>;
  signups: Pick<SignupQueue, 'oldestRequests' | 'removeRequest'>;
  now(): Date;
}

const DAY_MS = 24 * 3600_000;
/** Subscribers read at a time; requests too. */
const PAGE = 1000;

/**
 * Erases the sign-ups nobody confirmed: every pending subscriber whose last request (its
 * sign-up, or the last confirmation email it was sent) is more than `pendingDays` old goes,
 * address included, with nothing kept (it never consented, and an editor may still add it);
 * so do requests of the form that old never stored (when the confirmations job has not run).
 * Someone who left and asked to come back without confirming keeps their record as it was.
 * Run daily; DynamoDB's time to live deletes what this misses a little later.
 * @returns how many sign-ups were erased
 */
export async function eraseStalePendings(deps: StalePendingDeps): Promise<number> {
  const cutoff = deps.now().getTime() - deps.config.pendingDays * DAY_MS;
  let erased = 0;
  for (;;) {
    const requests = await deps.signups.oldestRequests(PAGE);
    const stale = requests.filter((request) => Date.parse(request.requestedAt) < cutoff);
    for (const request of stale) await deps.signups.removeRequest(request.id);
    erased += stale.length;
    if (stale.length < PAGE) break;
  }
  // Read to the end first: removing while paging could move what a page holds.
  const forgotten: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.subscriberPages.page(cursor, PAGE);
    for (const subscriber of page.subscribers) {
      if (isStale(subscriber, cutoff)) forgotten.push(subscriber.id);
    }
    cursor = page.cursor;
  } while (cursor);
  // Only if still so: confirmed or mailed a new link meanwhile, a sign-up stays.
  const still = {
    status: ['pending'] as const,
    confirmationSentBefore: new Date(cutoff).toISOString(),
  };
  for (const id of forgotten) {
    if (await deps.subscribers.remove(id, still)) erased++;
  }
  return erased;
}

function isStale(subscriber: Subscriber, cutoff: number): boolean {
  if (subscriber.status !== 'pending') return false;
  const times = [subscriber.createdAt, subscriber.pendingSince, subscriber.confirmationSentAt];
  const last = Math.max(...times.map((time) => (time ? Date.parse(time) : 0)));
  return last < cutoff;
}
