import { testUnsubscribeToken } from '#core/issues/test-send.ts';
import type { MimeRecipient } from '#core/sending/mime-template.ts';
import { issueUnsubscribeToken } from '#core/sending/recipient-values.ts';
import type { LinkKeys } from '#core/subscribers/link-keys.ts';
import { personas } from './personas.ts';
import type { PreviewRecipient } from './preview-values.ts';

/** The address a persona's message is built for: a reserved domain, which no one receives. */
export const PERSONA_ADDRESS = 'persona@example.invalid';

/**
 * The recipient a preview's message is built for, as `MimeTemplate.fill` takes it:
 *
 * - a subscriber's, exactly as `Sender.message` makes it: their id, address and name, and
 *   their unsubscribe token signed for the purpose `unsubscribe` with the issue's id;
 * - a persona's: `persona-<name>` for an id, `PERSONA_ADDRESS`, its made-up name, and a test
 *   send's token (`testSendIssue`'s: the purpose `test`, naming nobody);
 * - nobody's (`public`, the archive's copy): undefined, since that copy is never mailed.
 */
export function previewMimeRecipient(
  linkKeys: LinkKeys,
  issueId: string,
  recipient: PreviewRecipient,
): MimeRecipient | undefined {
  switch (recipient.kind) {
    case 'subscriber': {
      const { id, email, name } = recipient.subscriber;
      return {
        subscriberId: id,
        address: email,
        name: name ?? '',
        unsubscribeToken: issueUnsubscribeToken(linkKeys, id, issueId),
      };
    }
    case 'persona':
      return {
        subscriberId: `persona-${recipient.persona}`,
        address: PERSONA_ADDRESS,
        name: personas[recipient.persona].name,
        unsubscribeToken: testUnsubscribeToken(linkKeys, issueId),
      };
    case 'public':
      return undefined;
  }
}
