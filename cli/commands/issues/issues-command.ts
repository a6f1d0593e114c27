import type { Command } from 'commander';
import type { CommandContext } from '../../command-context.ts';
import { draftCommands } from './draft-commands.ts';
import { sendCommands } from './send-commands.ts';
import { showCommands } from './show-commands.ts';
import { stopCommands } from './stop-commands.ts';

/** `newsletter issues …`: the life of an issue, from its draft to its last message. */
export function issuesCommand(program: Command, context: CommandContext): void {
  const issues = program
    .command('issues')
    .description(
      'the life of an issue: draft, render, show, test, send, pause, resume, cancel ' +
        '(every subcommand takes --json)',
    );
  showCommands(issues, context);
  draftCommands(issues, context);
  sendCommands(issues, context);
  stopCommands(issues, context);
}
