import { addressHash } from '../common/address-hash.ts';
import { checkLinkToken } from './check-link-token.ts';
import type { Subscriber } from './ports.ts';
import { blocksAllMail, type SubscriptionDeps } from './subscription-deps.ts';

/**
 * What a confirmation link does: `ready` (it would confirm), `confirmed` (it just did),
 * `already-confirmed` (the subscriber is active: using it again is harmless), `expired`,
 * `used` (its wait is over: the owner left or asked again since, or is suppressed), or
 * `invalid` (malformed or forged).
 */
export type ConfirmOutcome =
  | 'ready'
  | 'confirmed'
  | 'already-confirmed'
  | 'expired'
  | 'used'
  | 'invalid';

/** What confirming needs. */
export type ConfirmDeps = Pick<
  SubscriptionDeps,
  'config' | 'subscribers' | 'suppressions' | 'hashKey' | 'linkKeys' | 'now'
>;

/** What `POST /confirm` with this token would do; changes nothing (`GET /confirm`). */
export async function previewConfirmation(
  deps: ConfirmDeps,
  token: string,
): Promise<ConfirmOutcome> {
  const found = await findConfirmable(deps, token);
  return typeof found === 'string' ? found : 'ready';
}

/**
 * Confirms the subscription a link was made for: the subscriber becomes active. Repeating it
 * changes nothing. A link works only during the wait it was made in, so it cannot bring
 * back someone who has left since.
 */
export async function confirmSubscription(
  deps: ConfirmDeps,
  token: string,
): Promise<ConfirmOutcome> {
  const found = await findConfirmable(deps, token);
  if (typeof found === 'string') return found;
  const at = deps.now().toISOString();
  const confirmed = await deps.subscribers.update(
    found.id,
    {
      status: 'active',
      confirmedAt: at,
      updatedAt: at,
      source: 'form',
      pendingSince: undefined,
      confirmationSentAt: undefined,
      eraseAfter: undefined,
      unsubscribedAt: undefined,
      unsubscribedVia: undefined,
    },
    // Unchanged since it was read: a concurrent unsubscribe or a new request wins.
    { status: ['pending', 'unsubscribed'], pendingSince: found.pendingSince ?? '' },
  );
  if (!confirmed) {
    const now = await deps.subscribers.get(found.id);
    return now?.status === 'active' ? 'already-confirmed' : 'used';
  }
  // A fresh confirmation overrides an earlier wish to leave or to be forgotten.
  const hash = addressHash(deps.hashKey, found.email);
  const suppression = await deps.suppressions.get(hash);
  if (suppression && !blocksAllMail(suppression)) await deps.suppressions.delete(hash);
  return 'confirmed';
}

async function findConfirmable(
  deps: ConfirmDeps,
  token: string,
): Promise<Exclude<ConfirmOutcome, 'ready' | 'confirmed'> | Subscriber> {
  const checked = await checkLinkToken(deps.linkKeys, token, 'confirm', {
    maxAgeSeconds: deps.config.confirmLinkHours * 3600,
    now: deps.now(),
  });
  if (!checked.valid) return checked.problem === 'expired' ? 'expired' : 'invalid';
  const subscriber = await deps.subscribers.get(checked.subscriberId);
  if (!subscriber) return 'used';
  if (subscriber.status === 'active') return 'already-confirmed';
  const waitingSince = subscriber.pendingSince ? Date.parse(subscriber.pendingSince) : Number.NaN;
  const issuedAt = checked.issuedAt?.getTime() ?? Number.NaN;
  if (subscriber.status === 'suppressed' || !(issuedAt >= waitingSince)) return 'used';
  return subscriber;
}
