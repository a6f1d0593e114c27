import { confirmationMessage } from './confirmation-message.ts';
import { mailClaimedMessage } from './mail-claimed-message.ts';
import { pendingEraseAfter } from './pending-erase-after.ts';
import type { Subscriber } from './ports.ts';
import { signSubscriberToken } from './subscriber-token.ts';
import { type SubscriptionDeps, wholeSecond } from './subscription-deps.ts';
import { unsubscribeUrl } from './unsubscribe-url.ts';

/**
 * Least time between two confirmation emails to one address (minutes): whoever submits an
 * address many times, its owner gets one request per interval.
 */
export const CONFIRMATION_INTERVAL_MINUTES = 10;

/**
 * `sent`; `recent` when one went out less than the interval ago (or the status changed since
 * `subscriber` was read); `rejected` when the mail service refused the address.
 */
export type ConfirmationOutcome = 'sent' | 'recent' | 'rejected';

/**
 * Mails `subscriber` (pending, or unsubscribed and asking to come back) a link to
 * `/confirm`, signed with the time it was made so that it expires after
 * `confirmLinkHours`. The send is claimed on the subscriber first, so concurrent requests
 * send one email. Throws when the mail service did not take it (a later request may).
 */
export async function sendConfirmation(
  deps: SubscriptionDeps,
  subscriber: Subscriber,
): Promise<ConfirmationOutcome> {
  // Before the claim: a template that cannot be read must not hold the next request back.
  const templates = await deps.confirmationTemplates();
  const now = deps.now();
  const at = now.toISOString();
  const previous = subscriber.confirmationSentAt;
  const notBefore = new Date(now.getTime() - CONFIRMATION_INTERVAL_MINUTES * 60_000);
  // A sign-up never confirmed waits `pendingDays` from its last request before it is erased;
  // someone who left and asks to come back keeps their record whatever they do.
  const pending = subscriber.status === 'pending';
  const claimed = await deps.subscribers.update(
    subscriber.id,
    {
      confirmationSentAt: at,
      pendingSince: subscriber.pendingSince ?? wholeSecond(now),
      ...(pending ? { eraseAfter: pendingEraseAfter(now, deps.config.pendingDays) } : {}),
    },
    {
      status: pending ? ['pending'] : ['unsubscribed'],
      confirmationSentBefore: notBefore.toISOString(),
    },
  );
  if (!claimed) return 'recent';
  const { config } = deps;
  const { newest } = await deps.linkKeys.current();
  const confirmUrl = `${config.publicBaseUrl}/confirm?token=${signSubscriberToken(
    newest,
    subscriber.id,
    'confirm',
    { issuedAt: now },
  )}`;
  const unsubscribe = unsubscribeUrl(
    config.publicBaseUrl,
    signSubscriberToken(newest, subscriber.id, 'unsubscribe'),
  );
  return mailClaimedMessage(deps, subscriber, {
    content: confirmationMessage(config, { confirmUrl }, templates),
    unsubscribeUrl: unsubscribe,
    purpose: 'confirm',
    previous,
  });
}
