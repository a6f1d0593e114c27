import type { IssueStatus } from './issue-status.ts';
import type { Issue, IssueState, TimelineEntry } from './ports.ts';

/**
 * An issue as `issues show --json` prints it (and `issues draft`, `issues render`, `status`):
 * the counts of `IssueStatus` (`articles` is a count, `recipients` = `queued` + `sent` +
 * `failed` + `unknown` + `cancelled`) with what the issue is.
 */
export interface IssueReport extends Omit<IssueStatus, 'issueId'> {
  issueId: string;
  state: IssueState;
  subject: string;
  articleIds: string[];
  version: number;
  sha256: string;
  createdAt: string;
  timeline: TimelineEntry[];
}

/** The report of `issue` with its counts. */
export function issueReport(issue: Issue, status: IssueStatus): IssueReport {
  return {
    ...status,
    issueId: issue.issueId,
    state: issue.state,
    subject: issue.subject,
    articles: issue.articleIds.length,
    articleIds: [...issue.articleIds],
    version: issue.version,
    sha256: issue.sha256,
    createdAt: issue.createdAt,
    timeline: issue.timeline.map((entry) => ({ ...entry })),
  };
}
