import { Command, CommanderError } from 'commander';
import { auditCliCommands } from './audit-cli-commands.ts';
import { CommandContext } from './command-context.ts';
import { articlesCommand } from './commands/articles-command.ts';
import { auditCommand } from './commands/audit-command.ts';
import { demoCommand } from './commands/demo-command.ts';
import { importCommand } from './commands/import-command.ts';
import { issuesCommand } from './commands/issues/issues-command.ts';
import { keysCommand } from './commands/keys-command.ts';
import { scheduleCommand } from './commands/schedule-command.ts';
import { sendCommand } from './commands/send-command.ts';
import { serveCommand } from './commands/serve-command.ts';
import { statusCommand } from './commands/status-command.ts';
import { studioCommand } from './commands/studio-command.ts';
import { subscribersCommand } from './commands/subscribers-command.ts';

/** Exit codes: 0 success, 1 bad input or a failed operation, 2 bad usage. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** The `newsletter` program, with its commands. */
export function buildProgram(context = new CommandContext()): Command {
  const program = new Command('newsletter')
    .description(
      'Turns stored article slides into an email digest and sends it through Amazon SES.\n' +
        'State folder: $NEWSLETTER_HOME, default .newsletter/ in the working directory.',
    )
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureHelp({ sortSubcommands: true });
  auditCliCommands(program, context);
  importCommand(program, context);
  articlesCommand(program, context);
  subscribersCommand(program, context);
  issuesCommand(program, context);
  sendCommand(program, context);
  statusCommand(program, context);
  scheduleCommand(program, context);
  serveCommand(program, context);
  studioCommand(program, context);
  demoCommand(program, context);
  auditCommand(program, context);
  keysCommand(program, context);
  return program;
}

/** Runs the CLI on `argv` (as in `process.argv`) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return Number(process.exitCode ?? EXIT.ok);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed the message already; help and version exit 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`newsletter: ${message}\n`);
    if (process.env.NEWSLETTER_DEBUG && error instanceof Error) {
      process.stderr.write(`${error.stack}\n`);
    }
    return EXIT.failed;
  }
}
