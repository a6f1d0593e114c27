import type { Issue } from '#core/issues/ports.ts';

/** An issue as `issues list --json` prints it. */
export interface ListedIssue {
  issueId: string;
  state: Issue['state'];
  version: number;
  sha256: string;
  subject: string;
  createdAt: string;
  articleIds: string[];
}

/** The fields of `issues list --json`, in its order. */
export function listedIssue(issue: Issue): ListedIssue {
  const { issueId, state, version, sha256, subject, createdAt, articleIds } = issue;
  return { issueId, state, version, sha256, subject, createdAt, articleIds };
}
