import { parseEmailAddress } from './email-address.ts';
import { pendingEraseAfter } from './pending-erase-after.ts';
import type { SignupDeps } from './signup-deps.ts';
import { InvalidSubscriptionError } from './subscribe.ts';

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
  const email = parseEmailAddress(input.email);
  if (!email) throw new InvalidSubscriptionError('email must be an email address');
  const now = deps.now();
  const requestedAt = now.toISOString();
  await deps.signups.addRequest({
    id: `${requestedAt}#${deps.newId()}`,
    requestedAt,
    kind: 'leave-link',
    email,
    eraseAfter: pendingEraseAfter(now, deps.config.pendingDays),
  });
}
