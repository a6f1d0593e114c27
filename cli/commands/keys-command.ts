import { type Command, InvalidArgumentError } from 'commander';
import { type LinkKeyListing, listLinkKeys } from '#core/keys/list-link-keys.ts';
import { type LinkKeyRetirement, retireLinkKey } from '#core/keys/retire-link-key.ts';
import { type RotatedLinkKey, rotateLinkKey } from '#core/keys/rotate-link-key.ts';
import { KID_PATTERN } from '#core/subscribers/link-keys.ts';
import type { CommandContext } from '../command-context.ts';
import { stores } from '../issue-deps.ts';
import { LocalLinkKeys } from '../local-link-keys.ts';
import type { Output } from '../output.ts';
import { RemoteLinkKeys } from '../remote/remote-link-keys.ts';

/**
 * `newsletter keys list|rotate|retire`: the keys that sign subscriber links (unsubscribe,
 * confirm). Locally those of the state folder (`<state>/link-keys.json`); with
 * `NEWSLETTER_TARGET=aws` the stack's, through the editor API's `/keys` (senders only).
 */
export function keysCommand(program: Command, context: CommandContext): void {
  const keys = program
    .command('keys')
    .description(
      'the keys that sign subscriber links: rotate adds one and keeps the others, so no link ' +
        'already mailed breaks; retire removes an old one, on purpose',
    );
  listCommand(keys, context);
  rotateCommand(keys, context);
  retireCommand(keys, context);
}

/** `newsletter keys list` */
function listCommand(keys: Command, context: CommandContext): void {
  keys
    .command('list')
    .description(
      'list the keys kept, newest first: their ids and when each was made, never the keys',
    )
    .option('--json', 'print `{ keys }` as `GET /editor/keys` answers')
    .action(async (options: { json?: boolean }) => {
      const out = context.output(options.json);
      const listed = context.targetsAws
        ? await new RemoteLinkKeys(context.editorApi()).list()
        : await listLinkKeys(new LocalLinkKeys(context.stateDir));
      out.result({ keys: listed });
      for (const key of listed) out.info(listingLine(key));
    });
}

/** `newsletter keys rotate` */
function rotateCommand(keys: Command, context: CommandContext): void {
  keys
    .command('rotate')
    .description(
      'add a new key, which signs every new link from now on; the others are kept, so every ' +
        'link already mailed keeps working until its key is retired',
    )
    .option('--json', 'print `{ kid, kept }` as `POST /editor/keys` answers')
    .action(async (options: { json?: boolean }) => {
      const out = context.output(options.json);
      const rotated: RotatedLinkKey = context.targetsAws
        ? await new RemoteLinkKeys(context.editorApi()).rotate()
        : await context.withServices(() =>
            rotateLinkKey(new LocalLinkKeys(context.stateDir), new Date()),
          );
      out.result(rotated);
      out.info(`Added key ${rotated.kid}: every new link is signed with it.`);
      out.info(
        `Kept ${rotated.kept.join(', ')}: the links they signed keep working. Retire one with ` +
          '`newsletter keys retire KID` once its links may break.',
      );
    });
}

/** `newsletter keys retire KID [--yes]` */
function retireCommand(keys: Command, context: CommandContext): void {
  keys
    .command('retire')
    .description(
      'retire an old key: links signed with it stop working. Without --yes, only print what ' +
        'it would break, change nothing and exit 1',
    )
    .argument('<kid>', 'the key to retire, as `keys list` names it', kidArgument)
    .option('--yes', 'retire it: without, nothing is retired')
    .option(
      '--json',
      'print the estimate (and whether it was retired) as `POST /editor/keys/:kid/retire` answers',
    )
    .action(async (kid: string, options: { yes?: boolean; json?: boolean }) => {
      const out = context.output(options.json);
      const dryRun = options.yes !== true;
      const retirement = context.targetsAws
        ? await new RemoteLinkKeys(context.editorApi()).retire(kid, { dryRun })
        : await context.withServices(async () => {
            const { issues, ledger } = stores();
            const config = await context.config();
            const deps = {
              linkKeys: new LocalLinkKeys(context.stateDir),
              issues,
              ledger,
              confirmLinkHours: config.confirmLinkHours,
              now: () => new Date(),
            };
            return retireLinkKey(deps, kid, { dryRun });
          });
      out.result(retirement);
      reportRetirement(out, retirement);
      if (retirement.dryRun) {
        out.info(`Nothing was retired: run \`newsletter keys retire ${kid} --yes\` to retire it.`);
        // Not done: a script that forgot --yes must not read it as retired.
        process.exitCode = 1;
      }
    });
}

/** A kid as `KID_PATTERN` spells it; anything else is a usage error (exit 2). */
function kidArgument(value: string): string {
  if (!KID_PATTERN.test(value)) {
    throw new InvalidArgumentError(
      'a key id is 1-12 of 0-9 a-z, as `newsletter keys list` shows it',
    );
  }
  return value;
}

/** One key for a person: its id, when it was made, whether it is the newest. */
function listingLine(key: LinkKeyListing): string {
  const made = key.madeAt === undefined ? 'the key of links before rotation' : `made ${key.madeAt}`;
  return `${key.kid.padEnd(12)}  ${made}${key.newest ? '  (newest: signs new links)' : ''}`;
}

/** What a retirement broke, or would break, for a person. */
function reportRetirement(out: Output, retirement: LinkKeyRetirement): void {
  const { kid, breaks } = retirement;
  const from = breaks.newest.from === undefined ? 'the start' : breaks.newest.from;
  const verb = retirement.dryRun ? 'Retiring it would break' : `Retired key ${kid}: that broke`;
  out.info(`Key ${kid} signed every new link from ${from} until ${breaks.newest.until}.`);
  if (breaks.issues.length === 0) {
    out.info(`${verb} the links of no issue sent then.`);
  } else {
    const issues = breaks.issues.length === 1 ? '1 issue' : `${breaks.issues.length} issues`;
    out.info(`${verb} the unsubscribe links of at most ${breaks.mailed} messages, in ${issues}:`);
    for (const issue of breaks.issues) {
      const partly = issue.partly ? '  (partly: some carry another key)' : '';
      out.info(
        `  ${issue.issueId}  ${issue.startedAt}  ${issue.mailed} mailed  ${issue.subject}${partly}`,
      );
    }
  }
  for (const note of breaks.notes) out.info(note);
  out.info(`Kept: ${retirement.kept.join(', ')}.`);
}
