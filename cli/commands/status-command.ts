import type { Command } from 'commander';
import { emptyStatus, finishIssue, type IssueStatus } from '#core/issues/issue-status.ts';
import type { CommandContext } from '../command-context.ts';
import { finishDeps, stores } from '../issue-deps.ts';
import { plural } from '../output.ts';

/** No issue with the id given. */
export class UnknownIssueError extends Error {
  override name = 'UnknownIssueError';
}

/** `newsletter status [ISSUE]` */
export function statusCommand(program: Command, context: CommandContext): void {
  program
    .command('status')
    .description(
      'where an issue stands (the latest by default): recipients queued, sent, failed, ' +
        'unknown and suppressed, counted from the send ledger',
    )
    .argument('[issue]', 'the issue id (default: the latest issue)')
    .option('--json', 'print the status object as JSON')
    .action(async (issueId: string | undefined, options: { json?: boolean }) => {
      const out = context.output(options.json);
      const config = await context.config();
      const result = await context.withServices(async () => {
        const { issues, ledger } = stores();
        const issue = issueId ? await issues.get(issueId) : (await issues.list())[0];
        if (!issue) {
          if (issueId) throw new UnknownIssueError(`there is no issue ${issueId}`);
          return undefined;
        }
        // Asking marks the issue done when it is: finished, or held only by dead letters.
        const deps = { issues, ledger, ...finishDeps(config, context.targetsAws) };
        return finishIssue(deps, issue, new Date());
      });
      if (!result) {
        out.info('No issue yet: `newsletter send` starts one.');
        out.result(emptyStatus);
        return;
      }
      out.info(describeStatus(result.status, result.done));
      out.result(result.status);
    });
}

/** An issue's status in a sentence or two, for people. */
export function describeStatus(status: IssueStatus, done: boolean): string {
  const state = done ? 'done' : 'sending';
  const counts = [
    `${status.sent} sent`,
    `${status.failed} failed`,
    `${status.unknown} unknown`,
    `${status.queued} queued`,
  ].join(', ');
  return (
    `Issue ${status.issueId} (${plural(status.articles, 'article')}) is ${state}: ${plural(status.recipients, 'recipient')}, ${counts}.` +
    (status.suppressed > 0 ? ` ${status.suppressed} unsubscribed or suppressed, skipped.` : '') +
    describeHold(status)
  );
}

/**
 * Why a done issue still has messages of unknown outcome, and what settles them; nothing
 * once a redrive has settled them all.
 */
function describeHold(status: IssueStatus): string {
  if (status.heldBy?.reason !== 'events-dead-letter-queue' || status.unknown === 0) return '';
  return (
    ` ${status.unknown} unknown: their SES events wait in the events dead-letter queue;` +
    ' redrive it to settle them (they are not sent again).'
  );
}
