import { afterSendCounts } from '#core/events/after-send-counts.ts';
import type { IssueDeps } from '#core/issues/issue-deps.ts';
import { type IssueReport, issueReport } from '#core/issues/issue-report.ts';
import { finishIssue } from '#core/issues/issue-status.ts';
import type { Issue } from '#core/issues/ports.ts';

/**
 * An issue's report as `issues show --json` prints it, made by the same steps as the CLI's
 * `reportOf` (`cli/issue-report-of.ts`): its status counted now (`finishIssue`, which marks a
 * sending or paused issue sent when every message has its outcome), then the issue read
 * again, what happened after the send once it began (`afterSendCounts`), and whether its
 * version is the approved one.
 */
export async function issueReportNow(
  deps: Pick<IssueDeps, 'issues' | 'ledger' | 'events' | 'unknownWindowSeconds' | 'now'>,
  trackEngagement: boolean,
  issue: Issue,
): Promise<IssueReport> {
  const { status } = await finishIssue(deps, issue, deps.now());
  const current = (await deps.issues.get(issue.issueId)) ?? issue;
  const afterSend =
    current.startedAt === undefined
      ? undefined
      : await afterSendCounts(deps.ledger, current.issueId, { trackEngagement });
  return issueReport(current, status, afterSend, await deps.issues.approval());
}
