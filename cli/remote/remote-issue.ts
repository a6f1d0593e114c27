import type { IssueReport } from '#core/issues/issue-report.ts';
import type { CommandContext } from '../command-context.ts';
import { UnknownIssueError } from '../commands/status-command.ts';
import { EditorApiError } from './editor-api-client.ts';

/**
 * An issue's report (`issues show --json`) from the deployed stack's editor API, counted now;
 * an unknown id throws the error the local commands throw.
 */
export async function remoteIssue(context: CommandContext, issueId: string): Promise<IssueReport> {
  try {
    return await context
      .editorApi()
      .json<IssueReport>('GET', `/issues/${encodeURIComponent(issueId)}`);
  } catch (error) {
    if (error instanceof EditorApiError && error.code === 'issue-not-found') {
      throw new UnknownIssueError(`there is no issue ${issueId}`);
    }
    throw error;
  }
}
