import { readFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { ulid } from 'ulid';
import { dynamoDb, ses } from '#adapters/aws-clients.ts';
import { DynamoDbSendLedgerEraser } from '#adapters/dynamodb-send-ledger-eraser.ts';
import { SesMailer } from '#adapters/ses-mailer.ts';
import { subscriptionStores } from '#adapters/subscription-stores.ts';
import { tableName, tables } from '#adapters/tables.ts';
import { addSubscriber } from '#core/subscribers/add-subscriber.ts';
import { parseEmailAddress } from '#core/subscribers/email-address.ts';
import { forgetSubscriber } from '#core/subscribers/forget-subscriber.ts';
import { importSubscribers } from '#core/subscribers/import-subscribers.ts';
import { formatSubscriberCsv, parseSubscriberCsv } from '#core/subscribers/parse-subscriber-csv.ts';
import type { SendLedgerEraser, Subscriber, SubscriberStatus } from '#core/subscribers/ports.ts';
import type { SubscriptionDeps } from '#core/subscribers/subscription-deps.ts';
import { unsubscribeSubscriber } from '#core/subscribers/unsubscribe.ts';
import type { CommandContext } from '../command-context.ts';

/** A subscriber address was refused; nothing was added. */
export class InvalidAddressError extends Error {
  override name = 'InvalidAddressError';
}

/** `remove` was given an address or id that no subscriber has; nothing was removed. */
export class UnknownSubscriberError extends Error {
  override name = 'UnknownSubscriberError';
}

/** A subscriber file cannot be read as text. */
export class SubscriberFileError extends Error {
  override name = 'SubscriberFileError';
}

const STATUSES: SubscriberStatus[] = ['active', 'pending', 'unsubscribed', 'suppressed'];

/** `newsletter subscribers add|list|remove|import|export` */
export function subscribersCommand(program: Command, context: CommandContext): void {
  const subscribers = program.command('subscribers').description('the people who get the digest');

  subscribers
    .command('add')
    .description(
      'add active subscribers (the editor vouches for their consent); an address already ' +
        'present keeps its status, so someone who left is never re-subscribed',
    )
    .argument('<emails...>', 'addresses to add')
    .option('--json', 'print the subscribers as JSON')
    .action(async (emails: string[], options: { json?: boolean }) => {
      const out = context.output(options.json);
      const invalid = emails.filter((address) => !parseEmailAddress(address));
      if (invalid.length > 0) {
        throw new InvalidAddressError(
          `not a valid email address: ${invalid.join(', ')}; nothing was added`,
        );
      }
      const results = await withSubscriptions(context, async (deps) => {
        const added = [];
        for (const address of emails) {
          const email = parseEmailAddress(address) as string;
          added.push(await addSubscriber(deps, { email }, { source: 'cli' }));
        }
        return added;
      });
      out.result(results.map(({ subscriber }) => subscriber));
      const created = results.filter((result) => result.created).length;
      out.info(`Added ${created} subscriber${created === 1 ? '' : 's'}.`);
      for (const { subscriber, created, heldBy } of results) {
        if (!created) out.info(`  already present, left ${subscriber.status}: ${subscriber.email}`);
        else if (heldBy) out.info(`  ${heldStatus(subscriber, heldBy)}: ${subscriber.email}`);
      }
    });

  subscribers
    .command('list')
    .description('list all subscribers with their status')
    .addOption(new Option('--status <status>', 'only those with this status').choices(STATUSES))
    .option('--json', 'print the subscribers as JSON')
    .action(async (options: { json?: boolean; status?: SubscriberStatus }) => {
      const out = context.output(options.json);
      const all = await withSubscriptions(context, (deps) => deps.subscribers.list());
      const shown = options.status ? all.filter((s) => s.status === options.status) : all;
      out.result(shown);
      if (all.length === 0) {
        out.info('No subscribers yet: add some with `newsletter subscribers add`.');
      }
      for (const s of shown) {
        const why = s.suppression ? `  (${s.suppression.reason}: ${s.suppression.detail})` : '';
        out.info(`${s.id}  ${s.status.padEnd(12)}  ${s.email}${why}`);
      }
    });

  subscribers
    .command('remove')
    .description(
      'unsubscribe subscribers, by address or id; with --forget, erase their address from the ' +
        'subscribers and the send ledger (a suppression, or the wish to leave, is kept as a ' +
        'keyed hash, so an editor cannot add the address again)',
    )
    .argument('<subscribers...>', 'addresses or ids')
    .option('--forget', 'erase the address (right to erasure) instead of keeping it unsubscribed')
    .option('--json', 'print what was done as JSON')
    .action(async (who: string[], options: { forget?: boolean; json?: boolean }) => {
      const out = context.output(options.json);
      const results = await withSubscriptions(context, async (deps) => {
        const found: Subscriber[] = [];
        const missing: string[] = [];
        for (const given of who) {
          const subscriber = parseEmailAddress(given)
            ? await deps.subscribers.findByEmail(given)
            : await deps.subscribers.get(given);
          if (subscriber) found.push(subscriber);
          else missing.push(given);
        }
        if (missing.length > 0) {
          throw new UnknownSubscriberError(
            `no subscriber with this address or id: ${missing.join(', ')}; nothing was removed`,
          );
        }
        const done = [];
        for (const subscriber of found) {
          if (options.forget) {
            const kept = await forgetSubscriber(deps, subscriber);
            done.push({ id: subscriber.id, forgotten: true, kept: kept.reason });
          } else {
            await unsubscribeSubscriber(deps, subscriber, 'cli');
            const now = await deps.subscribers.get(subscriber.id);
            done.push({ id: subscriber.id, email: subscriber.email, status: now?.status });
          }
        }
        return done;
      });
      out.result(results);
      const verb = options.forget ? 'Forgot' : 'Unsubscribed';
      out.info(`${verb} ${results.length} subscriber${results.length === 1 ? '' : 's'}.`);
    });

  subscribers
    .command('import')
    .description(
      'add the subscribers of a CSV file (a header line naming "email" and optionally "name"); ' +
        'every row is checked and bad ones are reported by line (exit 1); the good ones are ' +
        'added active, the editor vouching for consent, unless --confirm mails each new one a ' +
        'confirmation link; addresses already present keep their status',
    )
    .argument('<file>', 'a CSV file, UTF-8')
    .option('--strict', 'import nothing when any row is bad')
    .option('--confirm', 'add new addresses as pending and mail each a confirmation link')
    .option('--json', 'print the outcome as JSON')
    .action(
      async (file: string, options: { strict?: boolean; confirm?: boolean; json?: boolean }) => {
        const out = context.output(options.json);
        const parsed = parseSubscriberCsv(await readText(file));
        const summary = await withSubscriptions(context, (deps) =>
          importSubscribers(deps, parsed, {
            strict: options.strict ?? false,
            confirm: options.confirm ?? false,
          }),
        );
        out.result(summary);
        for (const error of summary.errors) {
          process.stderr.write(`${file}:${error.line}: ${error.message}\n`);
        }
        if (parsed.ignoredColumns.length > 0) {
          out.info(`Ignored columns: ${parsed.ignoredColumns.join(', ')}.`);
        }
        if (summary.stopped) {
          out.info(`Nothing imported: ${summary.errors.length} bad rows and --strict.`);
        } else {
          out.info(
            `Imported ${summary.rows} good rows: ${count(summary.added)} new, ${count(summary.unchanged)} already present (left as they were).`,
          );
          if (summary.held > 0) {
            out.info(`${summary.held} new rows were forgotten earlier and kept their old status.`);
          }
          if (options.confirm) {
            out.info(
              `${summary.confirmationsSent} confirmation emails sent, ${summary.confirmationsRejected} refused.`,
            );
          }
        }
        if (summary.errors.length > 0) process.exitCode = 1;
      },
    );

  subscribers
    .command('export')
    .description('write every subscriber as CSV (email,name,status,source,createdAt) to stdout')
    .option('--json', 'write JSON instead')
    .action(async (options: { json?: boolean }) => {
      const out = context.output(options.json);
      const all = await withSubscriptions(context, (deps) => deps.subscribers.list());
      if (options.json) out.result(all);
      else process.stdout.write(formatSubscriberCsv(all));
    });
}

/** Runs `work` with the subscription use cases' ports on this state folder's services. */
function withSubscriptions<T>(
  context: CommandContext,
  work: (deps: SubscriptionDeps & { ledger: SendLedgerEraser }) => Promise<T>,
): Promise<T> {
  return context.withServices(async () => {
    const config = await context.config();
    const { subscribers, suppressions } = subscriptionStores();
    return work({
      config,
      subscribers,
      suppressions,
      mailer: new SesMailer(ses(), config.configurationSet),
      tokenKey: await context.tokenKey(),
      newId: () => ulid(),
      now: () => new Date(),
      ledger: new DynamoDbSendLedgerEraser(dynamoDb(), tableName(tables.sends)),
    });
  });
}

async function readText(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new SubscriberFileError(`${file}: cannot be read (${(error as Error).message})`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SubscriberFileError(`${file}: not UTF-8 text; save it as CSV UTF-8`);
  }
}

function heldStatus(subscriber: Subscriber, reason: string): string {
  return `${subscriber.status}, as when forgotten earlier (${reason})`;
}

function count(tally: Partial<Record<SubscriberStatus, number>>): number {
  return Object.values(tally).reduce((sum, n) => sum + (n ?? 0), 0);
}
