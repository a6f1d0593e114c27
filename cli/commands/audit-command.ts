import { type Command, InvalidArgumentError } from 'commander';
import { dynamoDb } from '#adapters/aws-clients.ts';
import { DynamoDbAuditTrail } from '#adapters/dynamodb-audit-trail.ts';
import { tableName, tables } from '#adapters/tables.ts';
import type { AuditRecord } from '#core/audit/audit-record.ts';
import { parseAuditSince } from '#core/audit/parse-audit-since.ts';
import type { CommandContext } from '../command-context.ts';

/**
 * `newsletter audit [--since TIME] [--json]`: the audit trail, newest first: who changed what
 * through the CLI, the studio or the editor API, when, and how it ended.
 */
export function auditCommand(program: Command, context: CommandContext): void {
  program
    .command('audit')
    .description(
      'list the audit trail, newest first: every change made through the CLI, the studio or ' +
        'the editor API, who made it, its target and its outcome',
    )
    .option(
      '--since <time>',
      'only changes at or after TIME (ISO 8601 date or time, UTC unless it has an offset)',
      since,
    )
    .option('--json', 'print `{ records }` as `GET /editor/audit` answers')
    .action(async (options: { since?: string; json?: boolean }) => {
      const out = context.output(options.json);
      const records = context.targetsAws
        ? (
            await context.editorApi().json<{ records: AuditRecord[] }>('GET', '/audit', {
              query: { since: options.since },
            })
          ).records
        : await context.withServices(() =>
            new DynamoDbAuditTrail(dynamoDb(), tableName(tables.audit)).list(
              options.since === undefined ? {} : { since: options.since },
            ),
          );
      out.result({ records });
      if (records.length === 0) out.info('No change recorded yet.');
      for (const record of records) out.info(auditLine(record));
    });
}

/** One record for a person: time, actor, action, target, outcome. */
export function auditLine(record: AuditRecord): string {
  const { result, status, exitCode, code } = record.outcome;
  const details = [
    status === undefined ? undefined : `${status}`,
    exitCode === undefined ? undefined : `exit ${exitCode}`,
    code,
  ].filter((each) => each !== undefined);
  const outcome = details.length > 0 ? `${result} (${details.join(', ')})` : result;
  return `${record.at}  ${record.actor}  ${record.action}${record.target ? ` ${record.target}` : ''}  ${outcome}`;
}

function since(value: string): string {
  try {
    return parseAuditSince(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}
