import type { LinkKeySource } from './link-keys.ts';
import { checkSubscriberToken, type TokenCheck, type TokenPurpose } from './subscriber-token.ts';

/**
 * Checks a subscriber link's token (`checkSubscriberToken`) with the link keys as `source`
 * has them; when its kid names none of them (`unknown-key`: a key added elsewhere since they
 * were read), once more with the keys read again (`source.reload()`). A kid still unknown then
 * is a retired key's, or none there ever was: the answer stays `unknown-key`, which a caller
 * refuses as it refuses a forged link. Any other answer reads nothing more.
 */
export async function checkLinkToken(
  source: LinkKeySource,
  token: string,
  purpose: TokenPurpose,
  options: { maxAgeSeconds?: number; now?: Date } = {},
): Promise<TokenCheck> {
  const checked = checkSubscriberToken(await source.current(), token, purpose, options);
  if (checked.valid || checked.problem !== 'unknown-key') return checked;
  return checkSubscriberToken(await source.reload(), token, purpose, options);
}
