import { allows } from '#core/issues/issue-state.ts';
import type { IssueReport } from './api-types.ts';

/** The buttons an issue's panel may show, as the editor API names the routes. */
export type IssueButton =
  | 'approve'
  | 'send'
  | 'schedule'
  | 'unschedule'
  | 'pause'
  | 'resume'
  | 'cancel';

/** One button: its route, its label, and the question it asks first when it is destructive. */
export interface IssueActionSpec {
  action: IssueButton;
  label: string;
  /** Asked in a dialog before the action is taken; absent for actions that can be undone. */
  confirm?: string;
  /** Whether the action takes a time (`schedule`: `POST /send` with `at`). */
  needsTime?: boolean;
}

/**
 * The actions the issue's state allows (`allows`, the core's table of an issue's life), in
 * the order the panel shows them. Approving is offered only for a draft not yet approved;
 * sending and cancelling ask to confirm, since neither can be undone.
 */
export function actionsFor(
  issue: Pick<IssueReport, 'state' | 'approved' | 'subject'>,
): IssueActionSpec[] {
  const specs: IssueActionSpec[] = [];
  const { state } = issue;
  if (allows(state, 'approve') && !issue.approved) {
    specs.push({ action: 'approve', label: 'Approve this version' });
  }
  if (allows(state, 'send')) {
    specs.push({
      action: 'send',
      label: 'Send now…',
      confirm: `Send “${issue.subject}” to every active subscriber now? It cannot be taken back.`,
    });
  }
  if (allows(state, 'schedule')) {
    specs.push({ action: 'schedule', label: 'Schedule', needsTime: true });
  }
  if (allows(state, 'unschedule')) specs.push({ action: 'unschedule', label: 'Unschedule' });
  if (allows(state, 'pause')) specs.push({ action: 'pause', label: 'Pause' });
  if (allows(state, 'resume')) specs.push({ action: 'resume', label: 'Resume' });
  if (allows(state, 'cancel')) {
    specs.push({
      action: 'cancel',
      label: 'Cancel issue…',
      confirm: `Cancel “${issue.subject}”? Nobody else will be mailed it, and it cannot be resumed.`,
    });
  }
  return specs;
}

/**
 * How far a send has come: messages with an outcome (sent, failed, cancelled) out of the
 * recipients; undefined before the issue has recipients.
 */
export function sendProgress(
  report: Pick<IssueReport, 'recipients' | 'sent' | 'failed' | 'cancelled'>,
): { done: number; total: number } | undefined {
  if (report.recipients <= 0) return undefined;
  return { done: report.sent + report.failed + report.cancelled, total: report.recipients };
}
