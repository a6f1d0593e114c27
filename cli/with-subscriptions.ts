import { ulid } from 'ulid';
import { dynamoDb, ses } from '#adapters/aws-clients.ts';
import { DynamoDbSendLedgerEraser } from '#adapters/dynamodb-send-ledger-eraser.ts';
import { SesMailer } from '#adapters/ses-mailer.ts';
import { subscriptionStores } from '#adapters/subscription-stores.ts';
import { tableName, tables } from '#adapters/tables.ts';
import type { ConfirmationTemplates } from '#core/subscribers/confirmation-message.ts';
import type { SendLedgerEraser } from '#core/subscribers/ports.ts';
import type { SubscriptionDeps } from '#core/subscribers/subscription-deps.ts';
import { compileConfirmationTemplates } from '#templates/compile-confirmation-templates.ts';
import type { CommandContext } from './command-context.ts';

/** The ports of the subscription use cases, and the send ledger that forgetting erases from. */
export type SubscriptionCliDeps = SubscriptionDeps & { ledger: SendLedgerEraser };

/** Runs `work` with the subscription use cases' ports on this state folder's services. */
export function withSubscriptions<T>(
  context: CommandContext,
  work: (deps: SubscriptionCliDeps) => Promise<T>,
): Promise<T> {
  return context.withServices(async () => {
    const config = await context.config();
    const { subscribers, suppressions } = subscriptionStores();
    // Compiled on the first confirmation only: most commands send none.
    let confirmation: Promise<ConfirmationTemplates> | undefined;
    return work({
      config,
      subscribers,
      suppressions,
      mailer: new SesMailer(ses(), config.configurationSet),
      confirmationTemplates: () => (confirmation ??= compileConfirmationTemplates()),
      hashKey: await context.hashKey(),
      linkKeys: context.linkKeys(),
      newId: () => ulid(),
      now: () => new Date(),
      ledger: new DynamoDbSendLedgerEraser(dynamoDb(), tableName(tables.sends)),
    });
  });
}
