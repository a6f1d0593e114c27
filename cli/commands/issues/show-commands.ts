import type { Command } from 'commander';
import { type ListedIssue, listedIssue } from '#app/editor-api/listed-issue.ts';
import { plural } from '#core/common/plural.ts';
import type { IssueReport } from '#core/issues/issue-report.ts';
import type { Issue } from '#core/issues/ports.ts';
import type { CommandContext } from '../../command-context.ts';
import { describeCanary } from '../../describe-canary.ts';
import { describeStatus } from '../../describe-status.ts';
import { stores } from '../../issue-deps.ts';
import { reportOf } from '../../issue-report-of.ts';
import type { Output } from '../../output.ts';
import { remoteIssue } from '../../remote/remote-issue.ts';
import { UnknownIssueError } from '../status-command.ts';

/** `issues list` and `issues show ID`. */
export function showCommands(issues: Command, context: CommandContext): void {
  issues
    .command('list')
    .description('every issue, newest first: its state, version, subject and articles')
    .option(
      '--json',
      'print a list of { issueId, state, version, sha256, subject, createdAt, articleIds }',
    )
    .action(async (options: { json?: boolean }) => {
      const out = context.output(options.json);
      const all = context.targetsAws
        ? await context.editorApi().json<ListedIssue[]>('GET', '/issues')
        : (await context.withServices(() => stores().issues.list())).map(listedIssue);
      if (all.length === 0) out.info('No issue yet: `newsletter issues draft` drafts one.');
      for (const issue of all) out.info(listLine(issue));
      out.result(all);
    });

  issues
    .command('show')
    .description('an issue: state, version, sha256, articles, counts and timeline')
    .argument('<issue>', 'the issue id')
    .option('--json', 'print the issue with its counts and timeline')
    .action(async (issueId: string, options: { json?: boolean }) => {
      const out = context.output(options.json);
      const report = context.targetsAws
        ? await remoteIssue(context, issueId)
        : await context.withServices(async () => reportOf(context, await storedIssue(issueId)));
      printReport(out, report, (await context.config()).scheduleTimeZone);
    });
}

/** The stored issue, or a clear error naming the id. */
export async function storedIssue(issueId: string): Promise<Issue> {
  const issue = await stores().issues.get(issueId);
  if (!issue) throw new UnknownIssueError(`there is no issue ${issueId}`);
  return issue;
}

/**
 * Prints an issue's report: lines for people, the object with `--json`.
 * @param timeZone the zone its times are shown in besides UTC (`scheduleTimeZone`)
 */
export function printReport(out: Output, report: IssueReport, timeZone = 'UTC'): void {
  out.info(`Issue ${report.issueId}: ${report.state}, version ${report.version}`);
  out.info(`  Subject: ${report.subject}`);
  if (report.scheduledAt) out.info(`  Scheduled for: ${report.scheduledAt}`);
  if (report.approved) out.info('  Approved: this version may go out on schedule');
  if (report.pausedBy) {
    const { actor, at, reason } = report.pausedBy;
    out.info(`  Paused by ${actor} at ${at}${reason ? `: ${reason}` : ''}`);
    out.info(`  Resume it with \`newsletter issues resume ${report.issueId}\`.`);
  }
  out.info(`  sha256:  ${report.sha256}`);
  out.info(`  ${plural(report.articles, 'article')}: ${report.articleIds.join(', ')}`);
  if (report.state !== 'draft') out.info(`  ${describeStatus(report, report.state)}`);
  if (report.canary) out.info(`  ${describeCanary(report.canary, report.recipients, timeZone)}`);
  out.info('  Timeline:');
  for (const entry of report.timeline) {
    const detail = entry.detail ? `: ${entry.detail}` : '';
    out.info(`    ${entry.at}  ${entry.actor}  ${entry.action}${detail}`);
  }
  out.result(report);
}

function listLine(issue: ListedIssue): string {
  return `${issue.issueId}  ${issue.state.padEnd(9)}  v${issue.version}  ${plural(issue.articleIds.length, 'article')}  ${issue.subject}`;
}
