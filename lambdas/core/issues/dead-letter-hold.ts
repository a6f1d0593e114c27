import type { EventBacklog } from '../events/ports.ts';
import type { IssueStatus } from './issue-status.ts';
import type { Issue, IssueHold } from './ports.ts';

/** What deciding whether the events dead-letter queue holds an issue back needs. */
export interface DeadLetterHoldDeps {
  /** Seconds an unknown outcome waits for SES's `Send` event (`sendUnknownWindowSeconds`). */
  unknownWindowSeconds: number;
  /** Where SES events wait; asked only when everything else says the issue is held. */
  events: Pick<EventBacklog, 'backlog'>;
}

/**
 * Whether an unfinished issue is held back only by SES events stuck in the events
 * dead-letter queue, and so may be marked done without its unknown outcomes: the hold to
 * record, or undefined.
 *
 * The sender never takes an unknown outcome over while any SES event waits (one in the
 * dead-letter queue may be its `Send` event, and a second send would be a duplicate), and a
 * dead-letter queue is emptied only by someone. Without this, one stuck event would keep the
 * issue open forever, and `sendIssue` would resume it instead of starting the next one.
 *
 * The issue is held when it is prepared; nothing is left to send (no `queued` record, no
 * fresh claim) but at least one outcome is unknown; `unknownWindowSeconds` have passed since
 * the last of them changed, so any `Send` event SES published for them has reached the
 * events queue; and the events queue is empty while its dead-letter queue is not, so the
 * only events that could still settle them are dead-lettered. While the events queue holds
 * anything its events may settle them soon: the issue waits.
 * @param lastUnknownAt when the most recently changed unknown record changed (ms since the
 *   epoch), undefined when none is unknown
 */
export async function deadLetterHold(
  issue: Issue,
  status: IssueStatus,
  lastUnknownAt: number | undefined,
  deps: DeadLetterHoldDeps,
  now: Date,
): Promise<IssueHold | undefined> {
  if (issue.preparedAt === undefined || status.queued > 0 || status.unknown === 0) {
    return undefined;
  }
  if (lastUnknownAt === undefined) return undefined;
  if (now.getTime() < lastUnknownAt + deps.unknownWindowSeconds * 1000) return undefined;
  const waiting = await deps.events.backlog();
  if (waiting.queued || !waiting.deadLettered) return undefined;
  return { reason: 'events-dead-letter-queue', unknown: status.unknown, at: now.toISOString() };
}
