import { ulid } from 'ulid';
import type { Config } from '#core/common/config.ts';
import type { ConfirmationTemplates } from '#core/subscribers/confirmation-message.ts';
import type { StalePendingDeps } from '#core/subscribers/erase-stale-pendings.ts';
import type { LinkKeySource } from '#core/subscribers/link-keys.ts';
import type { DueConfirmationDeps } from '#core/subscribers/send-due-confirmations.ts';
import { ses } from './aws-clients.ts';
import { SesMailer } from './ses-mailer.ts';
import { signupStores } from './signup-stores.ts';
import { subscriptionStores } from './subscription-stores.ts';

/**
 * What `sendDueConfirmations` and `eraseStalePendings` need, on the tables this process's
 * environment names (`SUBSCRIBERS_TABLE`, `SUPPRESSIONS_TABLE`, `SIGNUPS_TABLE`,
 * `COUNTERS_TABLE`), mailing through SES with the configuration set.
 * @param options.hashKey the key of address hashes (`secretsManagerHashKey()` on AWS,
 *   `localHashKey`)
 * @param options.linkKeys the keys that sign the confirmation links (`secretsManagerLinkKeys()`
 *   on AWS, `LocalLinkKeys`)
 * @param options.confirmationTemplates the confirmation email's templates, asked for before
 *   each email: cache them there
 */
export function signupJobsDepsFromEnv(
  config: Config,
  options: {
    hashKey: Uint8Array;
    linkKeys: LinkKeySource;
    confirmationTemplates(): Promise<ConfirmationTemplates>;
    env?: NodeJS.ProcessEnv;
  },
): DueConfirmationDeps & StalePendingDeps {
  const env = options.env ?? process.env;
  const { subscribers, suppressions } = subscriptionStores(env);
  return {
    config,
    subscribers,
    subscriberPages: subscribers,
    suppressions,
    ...signupStores(env),
    mailer: new SesMailer(ses(), config.configurationSet),
    confirmationTemplates: options.confirmationTemplates,
    hashKey: options.hashKey,
    linkKeys: options.linkKeys,
    newId: () => ulid(),
    now: () => new Date(),
  };
}
