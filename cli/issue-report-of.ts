import { type IssueReport, issueReport } from '#core/issues/issue-report.ts';
import { finishIssue } from '#core/issues/issue-status.ts';
import type { Issue } from '#core/issues/ports.ts';
import type { CommandContext } from './command-context.ts';
import { finishDeps, stores } from './issue-deps.ts';

/**
 * An issue's report (`issues show --json`), counted now. Asking marks a sending or paused
 * issue sent when it is: every message has its outcome, or only dead letters hold it.
 */
export async function reportOf(context: CommandContext, issue: Issue): Promise<IssueReport> {
  const { issues, ledger } = stores();
  const deps = { issues, ledger, ...finishDeps(await context.config(), context.targetsAws) };
  const { status } = await finishIssue(deps, issue, new Date());
  return issueReport((await issues.get(issue.issueId)) ?? issue, status);
}
