import type { Config } from '../common/config.ts';
import type { RecipientField } from '../rendering/recipient-fields.ts';
import type { LinkKeys } from '../subscribers/link-keys.ts';
import { signSubscriberToken } from '../subscribers/subscriber-token.ts';
import { unsubscribeUrl } from '../subscribers/unsubscribe-url.ts';

/** What a recipient's copy of an issue says of them. */
export interface RecipientCopy {
  /** The greeting name; empty when unknown. */
  name: string;
  /** The signed unsubscribe token of their link and `List-Unsubscribe` header. */
  unsubscribeToken: string;
}

/**
 * The token a subscriber's copy of an issue carries: signed for the purpose `unsubscribe`,
 * with the issue's id, so that leaving through it counts for that issue, and with the newest of
 * `linkKeys`. The sender mails it; a preview for that subscriber shows the same.
 */
export function issueUnsubscribeToken(
  linkKeys: LinkKeys,
  subscriberId: string,
  issueId: string,
): string {
  return signSubscriberToken(linkKeys.newest, subscriberId, 'unsubscribe', { issueId });
}

/**
 * The values that fill a recipient's markers in a rendered issue: the one place both the
 * message that is sent (`buildMimeTemplate`) and a preview (`personalize`) get them from.
 */
export function recipientValues(
  config: Pick<Config, 'publicBaseUrl'>,
  copy: RecipientCopy,
): Record<RecipientField, string> {
  return {
    unsubscribeUrl: unsubscribeUrl(config.publicBaseUrl, copy.unsubscribeToken),
    name: copy.name,
  };
}
