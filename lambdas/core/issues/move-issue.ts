import { IssueNotFoundError } from './issue-not-found-error.ts';
import { type IssueAction, issueActions } from './issue-state.ts';
import { IssueStateError } from './issue-state-error.ts';
import type { Issue, IssueFields, IssueStore } from './ports.ts';

/** Who acts, and when. */
export interface Actor {
  /** `cli:<local user>`, `schedule`, or a part of the system such as `sender`. */
  actor: string;
  at: Date;
}

/**
 * Takes `action` on an issue as it is stored now: one conditional write on its state (and its
 * version, when given), which also writes `changes` and appends the timeline entry. When the
 * issue moved meanwhile (another editor, the schedule), nothing is written and the loser is
 * told the state it found.
 * @returns the issue as written
 * @throws IssueStateError when the issue's state does not allow the action
 * @throws IssueNotFoundError when there is no such issue
 */
export async function moveIssue(
  issues: Pick<IssueStore, 'move' | 'get'>,
  issueId: string,
  action: IssueAction,
  by: Actor,
  options: { changes?: IssueFields; detail?: string; version?: number } = {},
): Promise<Issue> {
  const { from, to } = issueActions[action];
  const moved = await issues.move(issueId, {
    from,
    to,
    ...(options.version === undefined ? {} : { version: options.version }),
    ...(options.changes ? { changes: options.changes } : {}),
    entry: {
      at: by.at.toISOString(),
      actor: by.actor,
      action,
      ...(options.detail === undefined ? {} : { detail: options.detail }),
    },
  });
  if (moved) return moved;
  const current = await issues.get(issueId);
  if (!current) throw new IssueNotFoundError(issueId);
  if (
    options.version !== undefined &&
    current.version !== options.version &&
    from.includes(current.state)
  ) {
    throw new IssueVersionError(issueId, options.version, current.version);
  }
  throw new IssueStateError(issueId, current.state, action);
}

/** A draft was rendered again since the version an editor acted on. */
export class IssueVersionError extends Error {
  override name = 'IssueVersionError';

  constructor(
    readonly issueId: string,
    readonly expected: number,
    readonly current: number,
  ) {
    super(
      `Issue ${issueId} is at version ${current} now, not ${expected}: look at it again with \`newsletter issues show ${issueId}\`.`,
    );
  }
}
