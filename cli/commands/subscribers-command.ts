import type { Command } from 'commander';
import { ulid } from 'ulid';
import { z } from 'zod';
import type { CommandContext } from '../command-context.ts';
import { stores } from '../issue-deps.ts';

/** A subscriber address was refused; nothing was added. */
export class InvalidAddressError extends Error {
  override name = 'InvalidAddressError';
}

const email = z.email();

/** `newsletter subscribers add|list` */
export function subscribersCommand(program: Command, context: CommandContext): void {
  const subscribers = program.command('subscribers').description('the people who get the digest');
  subscribers
    .command('add')
    .description('add active subscribers (the editor vouches for their consent)')
    .argument('<emails...>', 'addresses to add')
    .option('--json', 'print the subscribers as JSON')
    .action(async (emails: string[], options: { json?: boolean }) => {
      const out = context.output(options.json);
      const invalid = emails.filter((address) => !email.safeParse(address).success);
      if (invalid.length > 0) {
        throw new InvalidAddressError(
          `not a valid email address: ${invalid.join(', ')}; nothing was added`,
        );
      }
      const results = await context.withServices(async () => {
        const store = stores().subscribers;
        const added = [];
        for (const address of emails) {
          added.push(
            await store.add({
              id: ulid(),
              email: address,
              status: 'active',
              source: 'cli',
              createdAt: new Date().toISOString(),
            }),
          );
        }
        return added;
      });
      out.result(results.map(({ subscriber }) => subscriber));
      const created = results.filter((result) => result.created).length;
      out.info(`Added ${created} subscriber${created === 1 ? '' : 's'}.`);
      for (const { subscriber, created } of results) {
        if (!created) out.info(`  already present, left ${subscriber.status}: ${subscriber.email}`);
      }
    });
  subscribers
    .command('list')
    .description('list all subscribers')
    .option('--json', 'print the subscribers as JSON')
    .action(async (options: { json?: boolean }) => {
      const out = context.output(options.json);
      const all = await context.withServices(() => stores().subscribers.list());
      out.result(all);
      if (all.length === 0)
        out.info('No subscribers yet: add some with `newsletter subscribers add`.');
      for (const s of all) out.info(`${s.id}  ${s.status.padEnd(12)}  ${s.email}`);
    });
}
