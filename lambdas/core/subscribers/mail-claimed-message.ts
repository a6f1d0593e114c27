import { buildMessage } from '../sending/build-message.ts';
import { MailRejectedError } from '../sending/mail-errors.ts';
import type { ConfirmationContent } from './confirmation-message.ts';
import type { Subscriber } from './ports.ts';
import type { SubscriptionDeps } from './subscription-deps.ts';

/**
 * Mails one email of the list's own (a confirmation request, a link to leave) to
 * `subscriber`, whose `confirmationSentAt` the caller has just claimed: from the list, with
 * its `List-Id` and the one-click `List-Unsubscribe` headers of `unsubscribeUrl`, tagged
 * with `purpose`. `rejected` when the mail service refused the address. When it did not take
 * the email (throttled, out of reach), the claim is given back (`confirmationSentAt` as it
 * was, `previous`), so that the next run may try at once, and the error is thrown.
 */
export async function mailClaimedMessage(
  deps: Pick<SubscriptionDeps, 'config' | 'mailer' | 'subscribers'>,
  subscriber: Subscriber,
  mail: {
    content: ConfirmationContent;
    unsubscribeUrl: string;
    purpose: 'confirm' | 'leave-link';
    previous: string | undefined;
  },
): Promise<'sent' | 'rejected'> {
  const { config } = deps;
  const raw = await buildMessage({
    from: { name: config.listName, address: config.fromEmail },
    to: subscriber.email,
    listId: `${config.listName} <${config.listId}>`,
    unsubscribeUrl: mail.unsubscribeUrl,
    ...mail.content,
  });
  try {
    await deps.mailer.send({
      to: subscriber.email,
      raw,
      tags: { purpose: mail.purpose, subscriberId: subscriber.id },
    });
    return 'sent';
  } catch (error) {
    if (error instanceof MailRejectedError) return 'rejected';
    await deps.subscribers.update(subscriber.id, { confirmationSentAt: mail.previous });
    throw error;
  }
}
