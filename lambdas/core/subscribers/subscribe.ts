import { parseEmailAddress } from './email-address.ts';
import { pendingEraseAfter } from './pending-erase-after.ts';
import type { SignupDeps } from './signup-deps.ts';

/** An address or name that a subscription cannot be made with. */
export class InvalidSubscriptionError extends Error {
  override name = 'InvalidSubscriptionError';
}

/**
 * Someone asks, on the public form, to receive the list at `email`: the request is queued as
 * typed, and `sendDueConfirmations` stores it and mails the link (double opt-in) within the
 * hourly budget. Nothing about the address is read here, so the work, and the time it takes,
 * is the same for a new address, a waiting one, a subscribed or a suppressed one: the answer
 * tells nobody whether an address is on the list.
 */
export async function subscribe(
  deps: Pick<SignupDeps, 'config' | 'signups' | 'newId' | 'now'>,
  input: { email: string; name?: string | undefined },
): Promise<void> {
  const email = parseEmailAddress(input.email);
  if (!email) throw new InvalidSubscriptionError('email must be an email address');
  const now = deps.now();
  const requestedAt = now.toISOString();
  await deps.signups.addRequest({
    id: `${requestedAt}#${deps.newId()}`,
    requestedAt,
    email,
    ...(input.name ? { name: input.name } : {}),
    eraseAfter: pendingEraseAfter(now, deps.config.pendingDays),
  });
}
