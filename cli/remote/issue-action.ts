import type { IssueReport } from '#core/issues/issue-report.ts';
import type { CommandContext } from '../command-context.ts';

/** The actions of `POST /issues/:id/<action>` that answer the issue's report. */
export type IssueAction = 'approve' | 'unschedule' | 'pause' | 'resume' | 'cancel';

/**
 * Takes `action` on the issue through the deployed stack's editor API, and answers its report
 * (`issues show --json`) with, for a pause or a cancel, how many calls to SES were still
 * finishing (0 otherwise). `rate` applies to a resume.
 */
export async function issueAction(
  context: CommandContext,
  issueId: string,
  action: IssueAction,
  rate?: number,
): Promise<IssueReport & { inFlight: number }> {
  const answer = await context
    .editorApi()
    .json<IssueReport & { inFlight?: number }>(
      'POST',
      `/issues/${encodeURIComponent(issueId)}/${action}`,
      {
        ...(rate === undefined ? {} : { json: { rate } }),
      },
    );
  return { ...answer, inFlight: answer.inFlight ?? 0 };
}
