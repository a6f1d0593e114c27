import { type Command, Option } from 'commander';
import { type AddSubscriberOutcome, addSubscriber } from '#core/subscribers/add-subscriber.ts';
import { parseEmailAddress } from '#core/subscribers/email-address.ts';
import { forgetSubscriber } from '#core/subscribers/forget-subscriber.ts';
import {
  type ImportSubscribersSummary,
  importSubscribers,
} from '#core/subscribers/import-subscribers.ts';
import type { ParsedSubscriberCsv } from '#core/subscribers/parse-subscriber-csv.ts';
import type { Subscriber, SubscriberStatus } from '#core/subscribers/ports.ts';
import { unsubscribeSubscriber } from '#core/subscribers/unsubscribe.ts';
import type { CommandContext } from '../command-context.ts';
import type { Output } from '../output.ts';
import { remoteSubscriberImport } from '../remote/remote-subscriber-import.ts';
import { RemoteSubscribers, type RemovedSubscriber } from '../remote/remote-subscribers.ts';
import { readSubscriberCsv, writeSubscriberCsv } from '../subscriber-csv-file.ts';
import { type SubscriptionCliDeps, withSubscriptions } from '../with-subscriptions.ts';

/** A subscriber address was refused; nothing was added. */
export class InvalidAddressError extends Error {
  override name = 'InvalidAddressError';
}

/** `remove` was given an address or id that no subscriber has; nothing was removed. */
export class UnknownSubscriberError extends Error {
  override name = 'UnknownSubscriberError';
}

const STATUSES: SubscriberStatus[] = ['active', 'pending', 'unsubscribed', 'suppressed'];

/** `newsletter subscribers add|list|remove|import|export` */
export function subscribersCommand(program: Command, context: CommandContext): void {
  const subscribers = program.command('subscribers').description('the people who get the digest');
  addCommand(subscribers, context);
  listCommand(subscribers, context);
  removeCommand(subscribers, context);
  importCommand(subscribers, context);
  exportCommand(subscribers, context);
}

/** `newsletter subscribers add EMAIL…` */
function addCommand(subscribers: Command, context: CommandContext): void {
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
      const addresses = validAddresses(emails);
      const results = context.targetsAws
        ? await remote(context).add(addresses)
        : await withSubscriptions(context, async (deps) => {
            const added = [];
            for (const email of addresses) {
              added.push(await addSubscriber(deps, { email }, { source: 'cli' }));
            }
            return added;
          });
      reportAdded(out, results);
    });
}

/** `newsletter subscribers list [--status S]` */
function listCommand(subscribers: Command, context: CommandContext): void {
  subscribers
    .command('list')
    .description('list all subscribers with their status')
    .addOption(new Option('--status <status>', 'only those with this status').choices(STATUSES))
    .option('--json', 'print the subscribers as JSON')
    .action(async (options: { json?: boolean; status?: SubscriberStatus }) => {
      const out = context.output(options.json);
      const all = await everySubscriber(context);
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
}

/** `newsletter subscribers remove [--forget] SUBSCRIBER…` */
function removeCommand(subscribers: Command, context: CommandContext): void {
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
      const forget = options.forget ?? false;
      const results: RemovedSubscriber[] = [];
      if (context.targetsAws) {
        const subscribers = remote(context);
        const find = await subscribers.finder();
        for (const subscriber of await findEverySubscriber(who, async (given) => find(given))) {
          results.push(await subscribers.remove(subscriber, forget));
        }
      } else {
        await withSubscriptions(context, async (deps) => {
          const find = (given: string) =>
            parseEmailAddress(given)
              ? deps.subscribers.findByEmail(given)
              : deps.subscribers.get(given);
          for (const subscriber of await findEverySubscriber(who, find)) {
            results.push(await removeSubscriber(deps, subscriber, forget));
          }
          return results;
        });
      }
      out.result(results);
      const verb = options.forget ? 'Forgot' : 'Unsubscribed';
      out.info(`${verb} ${results.length} subscriber${results.length === 1 ? '' : 's'}.`);
    });
}

/** `newsletter subscribers import [--strict] [--confirm] FILE` */
function importCommand(subscribers: Command, context: CommandContext): void {
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
        const { text, parsed } = await readSubscriberCsv(file);
        const how = { strict: options.strict ?? false, confirm: options.confirm ?? false };
        const summary = context.targetsAws
          ? await remoteSubscriberImport(context.editorApi(), text, parsed, how)
          : await withSubscriptions(context, (deps) => importSubscribers(deps, parsed, how));
        reportImport(out, file, parsed, summary, options.confirm ?? false);
        if (summary.errors.length > 0) process.exitCode = 1;
      },
    );
}

/** `newsletter subscribers export [--json]` */
function exportCommand(subscribers: Command, context: CommandContext): void {
  subscribers
    .command('export')
    .description('write every subscriber as CSV (email,name,status,source,createdAt) to stdout')
    .option('--json', 'write JSON instead')
    .action(async (options: { json?: boolean }) => {
      const out = context.output(options.json);
      if (options.json) out.result(await everySubscriber(context));
      else if (context.targetsAws) process.stdout.write(await remote(context).exportCsv());
      else writeSubscriberCsv(await everySubscriber(context));
    });
}

/** The subscriber routes of the deployed stack's editor API (`NEWSLETTER_TARGET=aws`). */
function remote(context: CommandContext): RemoteSubscribers {
  return new RemoteSubscribers(context.editorApi());
}

/** Every subscriber, from the state folder's services or the deployed stack. */
function everySubscriber(context: CommandContext): Promise<Subscriber[]> {
  return context.targetsAws
    ? remote(context).list()
    : withSubscriptions(context, (deps) => deps.subscribers.list());
}

/**
 * The addresses to add, as `parseEmailAddress` normalises them.
 * @throws InvalidAddressError naming every bad address, before anything is added
 */
function validAddresses(emails: string[]): string[] {
  const invalid = emails.filter((address) => !parseEmailAddress(address));
  if (invalid.length > 0) {
    throw new InvalidAddressError(
      `not a valid email address: ${invalid.join(', ')}; nothing was added`,
    );
  }
  return emails.map((address) => parseEmailAddress(address) as string);
}

function reportAdded(out: Output, results: AddSubscriberOutcome[]): void {
  out.result(results.map(({ subscriber }) => subscriber));
  const created = results.filter((result) => result.created).length;
  out.info(`Added ${created} subscriber${created === 1 ? '' : 's'}.`);
  for (const { subscriber, created, heldBy } of results) {
    if (!created) out.info(`  already present, left ${subscriber.status}: ${subscriber.email}`);
    else if (heldBy) out.info(`  ${heldStatus(subscriber, heldBy)}: ${subscriber.email}`);
  }
}

/**
 * The subscribers with these addresses or ids, as `find` finds each.
 * @throws UnknownSubscriberError naming every one not found, before anything is removed
 */
async function findEverySubscriber(
  who: string[],
  find: (given: string) => Promise<Subscriber | undefined>,
): Promise<Subscriber[]> {
  const found: Subscriber[] = [];
  const missing: string[] = [];
  for (const given of who) {
    const subscriber = await find(given);
    if (subscriber) found.push(subscriber);
    else missing.push(given);
  }
  if (missing.length > 0) {
    throw new UnknownSubscriberError(
      `no subscriber with this address or id: ${missing.join(', ')}; nothing was removed`,
    );
  }
  return found;
}

/** Unsubscribes or forgets one subscriber; what `remove --json` prints for it. */
async function removeSubscriber(
  deps: SubscriptionCliDeps,
  subscriber: Subscriber,
  forget: boolean,
): Promise<RemovedSubscriber> {
  if (forget) {
    const kept = await forgetSubscriber(deps, subscriber);
    return { id: subscriber.id, forgotten: true, kept: kept.reason };
  }
  await unsubscribeSubscriber(deps, subscriber, 'cli');
  const now = await deps.subscribers.get(subscriber.id);
  return { id: subscriber.id, email: subscriber.email, status: now?.status };
}

function reportImport(
  out: Output,
  file: string,
  parsed: ParsedSubscriberCsv,
  summary: ImportSubscribersSummary,
  confirm: boolean,
): void {
  out.result(summary);
  // Bad rows go to stderr as file:line, like a compiler's, also without --json.
  for (const error of summary.errors) {
    process.stderr.write(`${file}:${error.line}: ${error.message}\n`);
  }
  if (parsed.ignoredColumns.length > 0) {
    out.info(`Ignored columns: ${parsed.ignoredColumns.join(', ')}.`);
  }
  if (summary.stopped) {
    out.info(`Nothing imported: ${summary.errors.length} bad rows and --strict.`);
    return;
  }
  out.info(
    `Imported ${summary.rows} good rows: ${count(summary.added)} new, ${count(summary.unchanged)} already present (left as they were).`,
  );
  if (summary.held > 0) {
    out.info(`${summary.held} new rows were forgotten earlier and kept their old status.`);
  }
  if (confirm) {
    out.info(
      `${summary.confirmationsSent} confirmation emails sent, ${summary.confirmationsRejected} refused.`,
    );
  }
}

function heldStatus(subscriber: Subscriber, reason: string): string {
  return `${subscriber.status}, as when forgotten earlier (${reason})`;
}

function count(tally: Partial<Record<SubscriberStatus, number>>): number {
  return Object.values(tally).reduce((sum, n) => sum + (n ?? 0), 0);
}
