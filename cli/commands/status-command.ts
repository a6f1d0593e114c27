import type { Command } from 'commander';
import type { ListedIssue } from '#app/editor-api/listed-issue.ts';
import type { IssueReport } from '#core/issues/issue-report.ts';
import { emptyStatus } from '#core/issues/issue-status.ts';
import type { Issue } from '#core/issues/ports.ts';
import type { CommandContext } from '../command-context.ts';
import { describeCanary } from '../describe-canary.ts';
import { describeStatus } from '../describe-status.ts';
import { stores } from '../issue-deps.ts';
import { reportOf } from '../issue-report-of.ts';
import { remoteIssue } from '../remote/remote-issue.ts';

/** No issue with the id given. */
export class UnknownIssueError extends Error {
  override name = 'UnknownIssueError';
}

/** `newsletter status [ISSUE]` */
export function statusCommand(program: Command, context: CommandContext): void {
  program
    .command('status')
    .description(
      'where an issue stands: the one sending or paused, else the last one sent (or ISSUE); ' +
        'recipients queued, sent, failed, unknown, suppressed and cancelled',
    )
    .argument('[issue]', 'the issue id (default: the one sending or paused, else the last sent)')
    .option('--json', 'print the issue as `issues show --json` does')
    .action(async (issueId: string | undefined, options: { json?: boolean }) => {
      const out = context.output(options.json);
      const report = context.targetsAws
        ? await remoteStatusReport(context, issueId)
        : await context.withServices(async () => {
            const issue = await statusIssue(issueId);
            return issue && reportOf(context, issue);
          });
      if (!report) {
        out.info('No issue sent yet: `newsletter send` starts one.');
        out.result(emptyStatus);
        return;
      }
      out.info(describeStatus(report, report.state));
      if (report.canary) {
        const { scheduleTimeZone } = await context.config();
        out.info(describeCanary(report.canary, report.recipients, scheduleTimeZone));
      }
      out.result(report);
    });
}

/** The issue asked for, else the one sending or paused, else the last sent; never a draft. */
async function statusIssue(issueId: string | undefined): Promise<Issue | undefined> {
  const { issues } = stores();
  if (issueId) {
    const issue = await issues.get(issueId);
    if (!issue) throw new UnknownIssueError(`there is no issue ${issueId}`);
    return issue;
  }
  return statusChoice(await issues.list());
}

/** As {@link statusIssue}, through a deployed stack's editor API. */
async function remoteStatusReport(
  context: CommandContext,
  issueId: string | undefined,
): Promise<IssueReport | undefined> {
  const chosen =
    issueId ??
    statusChoice(await context.editorApi().json<ListedIssue[]>('GET', '/issues'))?.issueId;
  return chosen === undefined ? undefined : remoteIssue(context, chosen);
}

/** Of issues listed newest first: the one sending or paused, else the last sent. */
function statusChoice<T extends Pick<Issue, 'state'>>(all: readonly T[]): T | undefined {
  return (
    all.find((issue) => issue.state === 'sending' || issue.state === 'paused') ??
    all.find((issue) => issue.state === 'sent')
  );
}
