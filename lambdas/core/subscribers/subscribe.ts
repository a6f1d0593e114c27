import { parseEmailAddress } from './email-address.ts';
import { pendingEraseAfter } from './pending-erase-after.ts';
import type { SignupRequest } from './ports.ts';
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
  await queueRequest(deps, { email: input.email, ...(input.name ? { name: input.name } : {}) });
}

/**
 * Queues a request of the public forms as typed (a sign-up, or with `kind` another request
 * the confirmations job answers), to be erased after `pendingDays` if nothing came of it.
 * @throws InvalidSubscriptionError when `email` is not an email address
 */
export async function queueRequest(
  deps: Pick<SignupDeps, 'config' | 'signups' | 'newId' | 'now'>,
  input: Pick<SignupRequest, 'email' | 'name' | 'kind'>,
): Promise<void> {
  const email = parseEmailAddress(input.email);
  if (!email) throw new InvalidSubscriptionError('email must be an email address');
  const now = deps.now();
  const requestedAt = now.toISOString();
  await deps.signups.addRequest({
    ...input,
    id: `${requestedAt}#${deps.newId()}`,
    requestedAt,
    email,
    eraseAfter: pendingEraseAfter(now, deps.config.pendingDays),
  });
}
