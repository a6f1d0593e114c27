import { addressHash } from '../common/address-hash.ts';
import { parseEmailAddress } from './email-address.ts';
import { sendConfirmation } from './send-confirmation.ts';
import { blocksAllMail, type SubscriptionDeps, wholeSecond } from './subscription-deps.ts';

/** An address or name that a subscription cannot be made with. */
export class InvalidSubscriptionError extends Error {
  override name = 'InvalidSubscriptionError';
}

/**
 * What became of a request. The public answer must not depend on it (it would tell anyone
 * whether an address is on the list); it is for tests and counters.
 */
export type SubscribeOutcome =
  | 'confirmation-sent'
  | 'confirmation-recent'
  | 'already-active'
  | 'suppressed'
  | 'rejected';

/**
 * Someone asks, on the public form, to receive the list at `email`: a new address becomes a
 * pending subscriber and is sent a confirmation link (double opt-in). A pending address is
 * sent a new link (at most one per interval), and so is one that unsubscribed (coming back
 * takes a fresh confirmation). An active address gets nothing; a suppressed one (bounce,
 * complaint) gets nothing either, even if it was forgotten since.
 */
export async function subscribe(
  deps: SubscriptionDeps,
  input: { email: string; name?: string | undefined },
): Promise<SubscribeOutcome> {
  const email = parseEmailAddress(input.email);
  if (!email) throw new InvalidSubscriptionError('email must be an email address');
  const suppression = await deps.suppressions.get(addressHash(deps.tokenKey, email));
  if (blocksAllMail(suppression)) return 'suppressed';
  const now = deps.now();
  const { subscriber } = await deps.subscribers.add({
    id: deps.newId(),
    email,
    ...(input.name ? { name: input.name } : {}),
    status: 'pending',
    source: 'form',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    pendingSince: wholeSecond(now),
  });
  if (subscriber.status === 'active') return 'already-active';
  if (subscriber.status === 'suppressed') return 'suppressed';
  const sent = await sendConfirmation(deps, subscriber);
  return sent === 'sent'
    ? 'confirmation-sent'
    : sent === 'recent'
      ? 'confirmation-recent'
      : 'rejected';
}
