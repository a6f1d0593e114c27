import { addressHash } from '../common/address-hash.ts';
import type { Subscriber, SubscriberStore, Suppression, SuppressionStore } from './ports.ts';
import { blocksAllMail } from './subscription-deps.ts';

/** What suppressing an address needs. */
export interface SuppressDeps {
  subscribers: SubscriberStore;
  suppressions: SuppressionStore;
  /** Key of the HMAC that hashes addresses (never rotates: not the links' keys). */
  hashKey: Uint8Array;
}

/**
 * Stops all mail to an address for good (a permanent bounce, too many transient ones, a
 * complaint): its keyed hash is recorded, so it stays suppressed even once forgotten, and
 * its subscriber, if any, becomes `suppressed` with the reason kept. The first suppression
 * of an address is the one kept, so applying the same event again changes nothing.
 * @param subscriber the address's subscriber when the caller has read it already
 * @returns the address's subscriber, as it now is, if there is one
 */
export async function suppressAddress(
  deps: SuppressDeps,
  email: string,
  suppression: Suppression,
  subscriber?: Subscriber,
): Promise<Subscriber | undefined> {
  const hash = addressHash(deps.hashKey, email);
  const earlier = await deps.suppressions.get(hash);
  const kept = blocksAllMail(earlier) ? (earlier as Suppression) : suppression;
  if (kept !== earlier) await deps.suppressions.put(hash, kept);
  const found = subscriber ?? (await deps.subscribers.findByEmail(email));
  if (!found || found.status === 'suppressed') return found;
  const changed = await deps.subscribers.update(
    found.id,
    {
      status: 'suppressed',
      suppression: kept,
      updatedAt: suppression.at,
      pendingSince: undefined,
      transientBounces: undefined,
    },
    { status: ['active', 'pending', 'unsubscribed'] },
  );
  return changed ?? (await deps.subscribers.get(found.id));
}
