import { IssueStateError } from './issue-state-error.ts';
import type { Issue, IssueState } from './ports.ts';

/** What an editor, the schedule or the senders can do to an issue. */
export type IssueAction =
  | 'render'
  | 'test'
  | 'approve'
  | 'schedule'
  | 'unschedule'
  | 'send'
  | 'pause'
  | 'resume'
  | 'cancel'
  | 'finish';

/**
 * The life of an issue: `draft → (scheduled →) sending ⇄ paused → sent`, a scheduled issue
 * back to `draft`, and `cancelled` from `draft`, `scheduled`, `sending` or `paused`.
 * Rendering again, test sends and approval keep a draft a draft; `finish` is the ledger
 * saying every message has its outcome, which may also be found while paused (the last calls
 * to SES settle after the pause).
 */
export const issueActions: Readonly<
  Record<IssueAction, { from: readonly IssueState[]; to: IssueState }>
> = {
  render: { from: ['draft'], to: 'draft' },
  test: { from: ['draft'], to: 'draft' },
  approve: { from: ['draft'], to: 'draft' },
  schedule: { from: ['draft'], to: 'scheduled' },
  unschedule: { from: ['scheduled'], to: 'draft' },
  send: { from: ['draft', 'scheduled'], to: 'sending' },
  pause: { from: ['sending'], to: 'paused' },
  resume: { from: ['paused'], to: 'sending' },
  cancel: { from: ['draft', 'scheduled', 'sending', 'paused'], to: 'cancelled' },
  finish: { from: ['sending', 'paused'], to: 'sent' },
};

/** Whether `action` may be taken on an issue in `state`. */
export function allows(state: IssueState, action: IssueAction): boolean {
  return issueActions[action].from.includes(state);
}

/**
 * Refuses an action the issue's state does not allow.
 * @throws IssueStateError naming the state
 */
export function assertAllows(issue: Pick<Issue, 'issueId' | 'state'>, action: IssueAction): void {
  if (!allows(issue.state, action)) throw new IssueStateError(issue.issueId, issue.state, action);
}

/**
 * Whether the issue carries its articles, so that the planner never offers them again: once
 * it is scheduled or began sending, unless it was cancelled before anybody was mailed. Drafts
 * reserve nothing.
 */
export function carriesArticles(issue: Pick<Issue, 'state' | 'mailedNobody'>): boolean {
  if (issue.state === 'draft') return false;
  return issue.state !== 'cancelled' || issue.mailedNobody !== true;
}

/** True while the issue holds the list's sending slot: `sending` or `paused`. */
export function isUnderway(issue: Pick<Issue, 'state'>): boolean {
  return issue.state === 'sending' || issue.state === 'paused';
}
