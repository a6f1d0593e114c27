import type { SendOutcome } from './follow-issue.ts';
import { followExitCode } from './follow-send.ts';

/**
 * A CLI command whose work changes state, as the audit trail records it: its name
 * (`issues pause`) and how to find what it acted on.
 */
export interface AuditedCommand {
  name: string;
  /**
   * The id it acted on, from its arguments or its work's result (undefined when the work
   * threw); undefined: none, several, or not known.
   */
  target(result: unknown): string | undefined;
  /**
   * Whether its work's result will make the command exit 1, when the command sets its exit
   * code only after the work (a test send that failed for one address, a send with failures,
   * a draft with nothing new, an import with bad rows): the record's outcome then says so.
   */
  failed?(result: unknown): boolean;
}

/** Commands whose first argument is the issue they act on. */
const ISSUE_COMMANDS = new Set([
  'issues render',
  'issues test',
  'issues approve',
  'issues send',
  'issues unschedule',
  'issues pause',
  'issues resume',
  'issues cancel',
]);

/**
 * The audit trail's view of the command `name` run with `args` and `options`, or undefined
 * when it changes nothing (reads, `--dry-run`, `keys retire` without `--yes`) and is not
 * recorded. Targets are ids only: the
 * addresses `subscribers add` and `remove` take as arguments are never used, only the ids
 * their results name.
 */
export function auditedCommand(
  name: string,
  args: readonly string[],
  options: Record<string, unknown>,
): AuditedCommand | undefined {
  if (options.dryRun) return undefined;
  if (name === 'issues test') {
    const failed = (result: unknown) =>
      Number(field(result, 'sent')) < countOf(field(result, 'recipients'));
    return { name, target: () => args[0], failed };
  }
  if (ISSUE_COMMANDS.has(name)) return { name, target: () => args[0] };
  switch (name) {
    case 'issues draft':
      return {
        name,
        target: (result) => text(field(field(result, 'issue'), 'issueId')),
        failed: (result) => !result,
      };
    case 'send':
      return {
        name,
        target: (result) => text(field(field(result, 'status'), 'issueId')),
        failed: (result) => followExitCode(result as SendOutcome) !== 0,
      };
    case 'import':
      return { name, target: (result) => onlyId(field(result, 'articles')) };
    case 'subscribers add':
      return { name, target: (result) => onlyId(listOf(result, 'subscriber')) };
    case 'subscribers remove':
      return { name, target: onlyId };
    case 'subscribers import':
      return {
        name,
        target: () => undefined,
        failed: (result) => countOf(field(result, 'errors')) > 0,
      };
    case 'keys rotate':
      return { name, target: (result) => text(field(result, 'kid')) };
    case 'keys retire':
      return options.yes === true ? { name, target: () => args[0] } : undefined;
    default:
      return undefined;
  }
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `field` of each item of a list. */
function listOf(value: unknown, name: string): unknown[] | undefined {
  return Array.isArray(value) ? value.map((item) => field(item, name)) : undefined;
}

/** How many items a list holds; 0 for anything else. */
function countOf(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}

/** The `id` of a list of one; undefined for none or several. */
function onlyId(value: unknown): string | undefined {
  return Array.isArray(value) && value.length === 1 ? text(field(value[0], 'id')) : undefined;
}
