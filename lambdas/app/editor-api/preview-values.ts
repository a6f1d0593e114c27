import type { Config } from '#core/common/config.ts';
import type { RecipientField } from '#core/rendering/recipient-fields.ts';
import { recipientValues } from '#core/sending/recipient-values.ts';
import type { LinkKeys } from '#core/subscribers/link-keys.ts';
import type { Subscriber } from '#core/subscribers/ports.ts';
import { unsubscribeUrl } from '#core/subscribers/unsubscribe-url.ts';
import type { PersonaName } from './personas.ts';
import { previewMimeRecipient } from './preview-mime-recipient.ts';

/** Whom a preview is for: a subscriber, a persona, or nobody (the archive's copy). */
export type PreviewRecipient =
  | { kind: 'subscriber'; subscriber: Pick<Subscriber, 'id' | 'email' | 'name'> }
  | { kind: 'persona'; persona: PersonaName }
  | { kind: 'public' };

/**
 * The values that fill one recipient's markers in a render of `issueId`, from the same core
 * function the sender uses (`recipientValues`) over the recipient `previewMimeRecipient`
 * makes:
 *
 * - a subscriber's, exactly as the sender makes them: their name, else none, and their
 *   unsubscribe link, signed for the purpose `unsubscribe` with the issue's id. So the
 *   previewed HTML is the HTML part that subscriber is sent; a test of the editor API
 *   compares the two on a real send;
 * - a persona's: its made-up name, and the unsubscribe link of a test send
 *   (`testSendIssue`): a token for the purpose `test` that names nobody, which the
 *   unsubscribe page answers as a real link while changing nothing;
 * - nobody's: the archive's (`publicCopy`): the bare unsubscribe page, no name.
 */
export function previewValues(
  config: Pick<Config, 'publicBaseUrl'>,
  linkKeys: LinkKeys,
  issueId: string,
  recipient: PreviewRecipient,
): Record<RecipientField, string> {
  const mime = previewMimeRecipient(linkKeys, issueId, recipient);
  if (!mime) return { unsubscribeUrl: unsubscribeUrl(config.publicBaseUrl), name: '' };
  return recipientValues(config, mime);
}
