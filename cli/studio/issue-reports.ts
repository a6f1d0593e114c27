import type { EditorApiDeps } from '#app/editor-api/editor-api-deps.ts';
import { issueReportNow } from '#app/editor-api/issue-report-now.ts';
import type { ListedIssue } from '#app/editor-api/listed-issue.ts';
import type { IssueState } from '#core/issues/ports.ts';
import type { EditorApiClient } from '../remote/editor-api-client.ts';
import { EditorApiError } from '../remote/editor-api-client.ts';
import type { IssueReports } from './issue-feed.ts';

/** The issues of the local services, read through the editor API's ports as they are now. */
export function localIssueReports(deps: () => EditorApiDeps): IssueReports {
  return {
    underway: async () =>
      (await deps().issues.issues.list())
        .filter((issue) => isUnderway(issue.state))
        .map((issue) => issue.issueId),
    report: async (issueId) => {
      const { issues, config } = deps();
      const issue = await issues.issues.get(issueId);
      return issue && issueReportNow(issues, config.trackEngagement, issue);
    },
  };
}

/** The issues of a deployed stack, read through its editor API. */
export function remoteIssueReports(api: EditorApiClient): IssueReports {
  return {
    underway: async () =>
      (await api.json<ListedIssue[]>('GET', '/issues'))
        .filter((issue) => isUnderway(issue.state))
        .map((issue) => issue.issueId),
    report: (issueId) =>
      api.json('GET', `/issues/${encodeURIComponent(issueId)}`).catch((error: unknown) => {
        if (error instanceof EditorApiError && error.code === 'issue-not-found') return undefined;
        throw error;
      }),
  };
}

function isUnderway(state: IssueState): boolean {
  return state === 'sending' || state === 'paused';
}
