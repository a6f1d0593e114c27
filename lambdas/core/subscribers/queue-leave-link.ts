import { addressHash } from '../common/address-hash.ts';
import type { SignupQueue, SignupRequest } from './ports.ts';
import { LEAVE_LINK_STATUSES } from './send-leave-link.ts';
import { blocksAllMail, type SubscriptionDeps } from './subscription-deps.ts';

/**
 * Makes a request for a link to leave (`requestLeaveLink`) an email due, named by its
 * subscriber's id as a confirmation due is, when its address belongs to a subscriber who is
 * on the list (active or pending) and may be mailed (not suppressed after a bounce or a
 * complaint). Anyone else's request comes to nothing, silently: the form answered the same
 * whatever the address. Leaves the request itself in the queue.
 * @returns true when an email is now due
 */
export async function queueLeaveLink(
  deps: Pick<SubscriptionDeps, 'subscribers' | 'suppressions' | 'hashKey'> & {
    signups: Pick<SignupQueue, 'addDue'>;
  },
  request: SignupRequest,
): Promise<boolean> {
  const subscriber = await deps.subscribers.findByEmail(request.email);
  if (!subscriber || !LEAVE_LINK_STATUSES.includes(subscriber.status)) return false;
  const suppression = await deps.suppressions.get(addressHash(deps.hashKey, request.email));
  if (blocksAllMail(suppression)) return false;
  await deps.signups.addDue({
    id: request.id,
    kind: 'leave-link',
    subscriberId: subscriber.id,
    requestedAt: request.requestedAt,
    eraseAfter: request.eraseAfter,
  });
  return true;
}
