import type { Config } from '../common/config.ts';
import { personalize } from '../rendering/personalize.ts';
import type { RenderedIssue } from '../rendering/render-issue.ts';
import { unsubscribeUrl } from '../subscribers/unsubscribe-url.ts';

/** The copy of a render that belongs to nobody (archive, preview): no token, no name. */
export function publicCopy(
  config: Pick<Config, 'publicBaseUrl'>,
  rendered: RenderedIssue,
): { html: string; text: string } {
  return personalize(rendered, { unsubscribeUrl: unsubscribeUrl(config.publicBaseUrl), name: '' });
}
