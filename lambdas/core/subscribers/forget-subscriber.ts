import { addressHash } from '../common/address-hash.ts';
import type {
  SendLedgerEraser,
  Subscriber,
  SubscriberStore,
  Suppression,
  SuppressionStore,
} from './ports.ts';
import { blocksAllMail } from './subscription-deps.ts';

/** What forgetting a subscriber needs. */
export interface ForgetDeps {
  subscribers: SubscriberStore;
  suppressions: SuppressionStore;
  ledger: SendLedgerEraser;
  /** Key of the HMAC that hashes addresses (never rotates: not the links' keys). */
  hashKey: Uint8Array;
  now(): Date;
}

/**
 * Erases a subscriber's address (right to erasure): the subscriber and its address go,
 * the send ledger keeps only opaque ids. What must outlive the address is kept as a keyed
 * hash of it: a suppression stays a suppression, and a wish to leave or to be forgotten
 * stops an editor from adding the address again (its owner can still subscribe anew).
 * @returns the suppression now kept for the address
 */
export async function forgetSubscriber(
  deps: ForgetDeps,
  subscriber: Subscriber,
): Promise<Suppression> {
  const hash = addressHash(deps.hashKey, subscriber.email);
  const kept = await deps.suppressions.get(hash);
  const at = deps.now().toISOString();
  const suppression: Suppression = blocksAllMail(kept)
    ? (kept as Suppression)
    : (subscriber.suppression ??
      (subscriber.status === 'unsubscribed'
        ? { reason: 'unsubscribed', detail: subscriber.unsubscribedVia ?? '', at }
        : { reason: 'forgotten', detail: '', at }));
  // The hash first: a crash after it leaves the address blocked, never unprotected.
  if (suppression !== kept) await deps.suppressions.put(hash, suppression);
  await deps.ledger.eraseSubscriber(subscriber.id);
  await deps.subscribers.remove(subscriber.id);
  return suppression;
}
