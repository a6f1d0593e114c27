import type { AfterSendCounts } from '../events/after-send-counts.ts';
import { isApproved } from './approve-issue.ts';
import type { IssueStatus } from './issue-status.ts';
import type { Approval, Issue, IssueCanary, IssueState, TimelineEntry } from './ports.ts';

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
  /**
   * The issue's canary, when it has one: its share in percent, and as they are known how
   * many it went to, until when the others wait and when it ended (UTC).
   */
  canary?: IssueCanary;
  /**
   * For a paused issue: who paused it and when, with the reason when it paused itself
   * (`rates`, e.g. "bounce rate 6.1 % after 412 sent").
   */
  pausedBy?: { actor: string; at: string; reason?: string };
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
    ...(issue.canary === undefined ? {} : { canary: { ...issue.canary } }),
    ...pausedBy(issue),
    timeline: issue.timeline.map((entry) => ({ ...entry })),
  };
}

/** Who paused a paused issue, from its last `pause` entry; nothing for any other state. */
function pausedBy(issue: Issue): Pick<IssueReport, 'pausedBy'> {
  if (issue.state !== 'paused') return {};
  const entry = issue.timeline.findLast((candidate) => candidate.action === 'pause');
  if (!entry) return {};
  const reason = entry.detail === undefined ? {} : { reason: entry.detail };
  return { pausedBy: { actor: entry.actor, at: entry.at, ...reason } };
}
