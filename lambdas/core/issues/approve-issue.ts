import type { IssueDeps } from './issue-deps.ts';
import { IssueNotFoundError } from './issue-not-found-error.ts';
import { assertAllows } from './issue-state.ts';
import { moveIssue } from './move-issue.ts';
import type { Approval, Issue } from './ports.ts';

/**
 * Approves this version of a draft as the one the schedule may send (with `requireApproval`,
 * the only one): recorded in its timeline by a conditional write on its state and version,
 * then as the list's one approval, replacing any other. A new version is not approved.
 * @throws IssueStateError (not a draft), IssueVersionError
 */
export async function approveIssue(
  deps: Pick<IssueDeps, 'issues' | 'now'>,
  issueId: string,
  actor: string,
): Promise<Issue> {
  const draft = await deps.issues.get(issueId);
  if (!draft) throw new IssueNotFoundError(issueId);
  assertAllows(draft, 'approve');
  const at = deps.now();
  const issue = await moveIssue(
    deps.issues,
    issueId,
    'approve',
    { actor, at },
    {
      version: draft.version,
      detail: `version ${draft.version}`,
    },
  );
  await deps.issues.approve({ issueId, version: draft.version, at: at.toISOString(), actor });
  return issue;
}

/** Whether `approval` names this version of this draft. */
export function isApproved(
  issue: Pick<Issue, 'issueId' | 'state' | 'version'>,
  approval: Approval | undefined,
): boolean {
  return (
    issue.state === 'draft' &&
    approval?.issueId === issue.issueId &&
    approval.version === issue.version
  );
}
