import { plural } from '#core/common/plural.ts';
import type { IssueStatus } from '#core/issues/issue-status.ts';
import type { IssueState } from '#core/issues/ports.ts';

/** An issue's counts in a sentence or two, for people. */
export function describeStatus(status: IssueStatus, state: IssueState): string {
  const counts = [
    `${status.sent} sent`,
    `${status.failed} failed`,
    `${status.unknown} unknown`,
    `${status.queued} queued`,
    ...(status.cancelled > 0 ? [`${status.cancelled} cancelled`] : []),
  ].join(', ');
  return (
    `Issue ${status.issueId} (${plural(status.articles, 'article')}) is ${state}: ${plural(status.recipients, 'recipient')}, ${counts}.` +
    (status.suppressed > 0 ? ` ${status.suppressed} unsubscribed or suppressed, skipped.` : '') +
    describeHold(status)
  );
}

/**
 * Why a sent issue still has messages of unknown outcome, and what settles them; nothing
 * once a redrive has settled them all.
 */
function describeHold(status: IssueStatus): string {
  if (status.heldBy?.reason !== 'events-dead-letter-queue' || status.unknown === 0) return '';
  return (
    ` ${status.unknown} unknown: their SES events wait in the events dead-letter queue;` +
    ' redrive it to settle them (they are not sent again).'
  );
}
