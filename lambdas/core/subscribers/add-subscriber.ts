import { addressHash } from '../common/address-hash.ts';
import type { Subscriber, Suppression } from './ports.ts';
import { type ConfirmationOutcome, sendConfirmation } from './send-confirmation.ts';
import { blocksAllMail, type SubscriptionDeps, wholeSecond } from './subscription-deps.ts';

/** An address an editor adds (`subscribers add`, `subscribers import`). */
export interface SubscriberEntry {
  /** A valid address (see `parseEmailAddress`). */
  email: string;
  name?: string | undefined;
}

export interface AddSubscriberOptions {
  /** Where consent came from: `cli` or `import`. */
  source: string;
  /**
   * False (default): the editor vouches for consent and the subscriber is active. True: the
   * subscriber is pending and is mailed a confirmation link.
   */
  confirm?: boolean;
}

export interface AddSubscriberOutcome {
  subscriber: Subscriber;
  /** False when the address was present: it was left exactly as it was. */
  created: boolean;
  /** Set when a suppression kept from earlier decided the status (the address was forgotten). */
  heldBy?: Suppression['reason'];
  /** With `confirm`, for a new pending subscriber. */
  confirmation?: ConfirmationOutcome;
}

/**
 * Adds a subscriber for an editor. An address already present keeps its status, so
 * someone who left or was suppressed is never re-subscribed this way; one that was
 * forgotten comes back as it left (suppressed after a bounce or complaint, else
 * unsubscribed): only its owner can subscribe it again, through the form.
 */
export async function addSubscriber(
  deps: SubscriptionDeps,
  entry: SubscriberEntry,
  options: AddSubscriberOptions,
): Promise<AddSubscriberOutcome> {
  const now = deps.now();
  const at = now.toISOString();
  const held = await deps.suppressions.get(addressHash(deps.hashKey, entry.email));
  const base = {
    id: deps.newId(),
    email: entry.email,
    ...(entry.name ? { name: entry.name } : {}),
    source: options.source,
    createdAt: at,
    updatedAt: at,
  };
  const candidate: Subscriber = held
    ? blocksAllMail(held)
      ? { ...base, status: 'suppressed', suppression: held }
      : { ...base, status: 'unsubscribed', unsubscribedAt: held.at, unsubscribedVia: held.reason }
    : options.confirm
      ? { ...base, status: 'pending', pendingSince: wholeSecond(now) }
      : { ...base, status: 'active' };
  const { subscriber, created } = await deps.subscribers.add(candidate);
  const outcome: AddSubscriberOutcome = { subscriber, created };
  if (created && held) outcome.heldBy = held.reason;
  if (created && subscriber.status === 'pending') {
    outcome.confirmation = await sendConfirmation(deps, subscriber);
  }
  return outcome;
}
