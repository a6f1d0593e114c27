import { leaveLinkMessage } from './leave-link-message.ts';
import { mailClaimedMessage } from './mail-claimed-message.ts';
import type { Subscriber, SubscriberStatus } from './ports.ts';
import { CONFIRMATION_INTERVAL_MINUTES, type ConfirmationOutcome } from './send-confirmation.ts';
import { signSubscriberToken } from './subscriber-token.ts';
import type { SubscriptionDeps } from './subscription-deps.ts';
import { unsubscribeUrl } from './unsubscribe-url.ts';

/** Who may be mailed a link to leave: whoever is on the list, confirmed or not yet. */
export const LEAVE_LINK_STATUSES: readonly SubscriberStatus[] = ['active', 'pending'];

/**
 * Mails `subscriber` (active or pending) their one-click link to leave (`/unsubscribe?token=`,
 * the token an issue carries, for the purpose `unsubscribe`), with the same
 * `List-Unsubscribe` headers. The email is spaced out with the confirmation emails: one of
 * either per address per `CONFIRMATION_INTERVAL_MINUTES` (`confirmationSentAt`), claimed on
 * the subscriber first, so concurrent runs send one. `recent` when one went out less than the
 * interval ago (or the subscriber left since it was read), `rejected` when the mail service
 * refused the address. Throws when the mail service did not take it (a later run may).
 */
export async function sendLeaveLink(
  deps: SubscriptionDeps,
  subscriber: Subscriber,
): Promise<ConfirmationOutcome> {
  // Before the claim: a template that cannot be read must not hold the next request back.
  const templates = (await deps.confirmationTemplates()).leaveLink;
  const now = deps.now();
  const previous = subscriber.confirmationSentAt;
  const notBefore = new Date(now.getTime() - CONFIRMATION_INTERVAL_MINUTES * 60_000);
  const claimed = await deps.subscribers.update(
    subscriber.id,
    { confirmationSentAt: now.toISOString() },
    { status: LEAVE_LINK_STATUSES, confirmationSentBefore: notBefore.toISOString() },
  );
  if (!claimed) return 'recent';
  const { config } = deps;
  const { newest } = await deps.linkKeys.current();
  const unsubscribe = unsubscribeUrl(
    config.publicBaseUrl,
    signSubscriberToken(newest, subscriber.id, 'unsubscribe'),
  );
  return mailClaimedMessage(deps, subscriber, {
    content: leaveLinkMessage(config, { unsubscribeUrl: unsubscribe }, templates),
    unsubscribeUrl: unsubscribe,
    purpose: 'leave-link',
    previous,
  });
}
