import { afterSendCounts } from '#core/events/after-send-counts.ts';
import { type IssueReport, issueReport } from '#core/issues/issue-report.ts';
import { finishIssue } from '#core/issues/issue-status.ts';
import type { Issue } from '#core/issues/ports.ts';
import type { CommandContext } from './command-context.ts';
import { finishDeps, stores } from './issue-deps.ts';

/**
 * An issue's report (`issues show --json`), counted now, with what happened after the send
 * once sending began (`afterSendCounts`). Asking marks a sending or paused issue sent when it
 * is: every message has its outcome, or only dead letters hold it.
 */
export async function reportOf(context: CommandContext, issue: Issue): Promise<IssueReport> {
  const { issues, ledger } = stores();
  const config = await context.config();
  const deps = { issues, ledger, ...finishDeps(config, context.targetsAws) };
  const { status } = await finishIssue(deps, issue, new Date());
  const current = (await issues.get(issue.issueId)) ?? issue;
  const afterSend =
    current.startedAt === undefined
      ? undefined
      : await afterSendCounts(ledger, current.issueId, {
          trackEngagement: config.trackEngagement,
        });
  return issueReport(current, status, afterSend, await issues.approval());
}
