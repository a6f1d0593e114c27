import type { IssueAction } from './issue-state.ts';
import type { IssueState } from './ports.ts';

const allowedFrom: Record<IssueAction, string> = {
  render: 'only a draft can be rendered again',
  test: 'only a draft can be test-sent',
  approve: 'only a draft can be approved',
  schedule: 'only a draft can be scheduled',
  unschedule: 'only a scheduled issue can be unscheduled',
  send: 'only a draft or a scheduled issue can be sent',
  pause: 'only a sending issue can be paused',
  resume: 'only a paused issue can be resumed',
  cancel: 'only a draft, scheduled, sending or paused issue can be cancelled',
  finish: 'only a sending or paused issue can be finished',
};

/** An action the issue's state does not allow; nothing was changed. */
export class IssueStateError extends Error {
  override name = 'IssueStateError';

  constructor(
    readonly issueId: string,
    readonly state: IssueState,
    readonly action: IssueAction,
  ) {
    super(`Issue ${issueId} is ${state}: ${allowedFrom[action]}.`);
  }
}
