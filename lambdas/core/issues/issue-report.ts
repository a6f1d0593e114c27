import type { AfterSendCounts } from '../events/after-send-counts.ts';
import { isApproved } from './approve-issue.ts';
import type { IssueStatus } from './issue-status.ts';
import type { Approval, Issue, IssueState, TimelineEntry } from './ports.ts';

/**
 * An issue as `issues show --json` prints it (and `issues draft`, `issues render`, `status`):
 * the counts of `IssueStatus` (`articles` is a count, `recipients` = `queued` + `sent` +
 * `failed` + `unknown` + `cancelled`) with what the issue is; once it has been sent to anyone,
 * for `issues show` and `status`, also what happened after the send (`AfterSendCounts`:
 * `delivered`, `bouncedPermanent`… and with `trackEngagement` `opened`, `clicked`, `clicks`).
 */
export interface IssueReport extends Omit<IssueStatus, 'issueId'>, Partial<AfterSendCounts> {
  issueId: string;
  state: IssueState;
  subject: string;
  articleIds: string[];
  version: number;
  sha256: string;
  createdAt: string;
  /** For a scheduled issue: when it is due (UTC). */
  scheduledAt?: string;
  /** Whether this version is the draft the schedule may send (`issues approve`). */
  approved: boolean;
  timeline: TimelineEntry[];
}

/**
 * The report of `issue` with its counts, what happened after the send when given, and whether
 * `approval` names this version.
 */
export function issueReport(
  issue: Issue,
  status: IssueStatus,
  afterSend?: AfterSendCounts,
  approval?: Approval,
): IssueReport {
  return {
    ...status,
    ...afterSend,
    issueId: issue.issueId,
    state: issue.state,
    subject: issue.subject,
    articles: issue.articleIds.length,
    articleIds: [...issue.articleIds],
    version: issue.version,
    sha256: issue.sha256,
    createdAt: issue.createdAt,
    ...(issue.scheduledAt === undefined ? {} : { scheduledAt: issue.scheduledAt }),
    approved: isApproved(issue, approval),
    timeline: issue.timeline.map((entry) => ({ ...entry })),
  };
}
