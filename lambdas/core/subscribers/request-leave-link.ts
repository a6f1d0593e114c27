import type { SignupDeps } from './signup-deps.ts';
import { queueRequest } from './subscribe.ts';

/**
 * Someone asks, on the unsubscribe page without a token (where the archive's copies link),
 * for a link to leave the list at `email`: the request is queued as typed, as a sign-up is
 * (`subscribe`), and `sendDueConfirmations` mails the one-click link if the address is on the
 * list, within the same hourly budget and spacing as confirmations. Nothing about the address
 * is read here, so the work, and the time it takes, is the same for a subscriber, a stranger,
 * a suppressed or an unsubscribed address: the answer tells nobody whether it is on the list.
 * @throws InvalidSubscriptionError when `email` is not an email address
 */
export async function requestLeaveLink(
  deps: Pick<SignupDeps, 'config' | 'signups' | 'newId' | 'now'>,
  input: { email: string },
): Promise<void> {
  await queueRequest(deps, { email: input.email, kind: 'leave-link' });
}
