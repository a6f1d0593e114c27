import type { Command } from 'commander';
import { auditedCommand } from './audited-commands.ts';
import type { CommandContext } from './command-context.ts';

/**
 * Has every command of `program` that changes state (`auditedCommand`) recorded in the audit
 * trail by `context` once its work ends: one hook before each command's action, so that no
 * command body records anything itself.
 */
export function auditCliCommands(program: Command, context: CommandContext): void {
  program.hook('preAction', (_program, action) => {
    const command = auditedCommand(fullName(action), action.args, action.opts());
    if (command) context.audit(command);
  });
}

/** `issues pause`: the command's name below the program's. */
function fullName(command: Command): string {
  const names: string[] = [];
  for (let each: Command | null = command; each?.parent; each = each.parent) {
    names.unshift(each.name());
  }
  return names.join(' ');
}
