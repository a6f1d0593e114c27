import { plural } from '#core/common/plural.ts';
import type { AfterSendCounts } from '#core/events/after-send-counts.ts';
import type { IssueStatus } from '#core/issues/issue-status.ts';
import type { IssueState } from '#core/issues/ports.ts';

/** Links named in the sentence about clicks; `--json` lists them all. */
const LINKS_NAMED = 3;

/**
 * An issue's counts in a sentence or two, for people; with what happened after the send when
 * the status carries it (`issues show`, `status`).
 */
export function describeStatus(
  status: IssueStatus & Partial<AfterSendCounts>,
  state: IssueState,
): string {
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
    describeHold(status) +
    describeAfterSend(status)
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

/**
 * What SES and the readers reported since: deliveries always, the rest when there is any;
 * opens and clicks when they are tracked (the counts carry them), with the most clicked links.
 */
function describeAfterSend(counts: Partial<AfterSendCounts>): string {
  if (counts.delivered === undefined) return '';
  const some = (count: number | undefined, words: string) => (count ? [`${count} ${words}`] : []);
  const parts = [
    `${counts.delivered} delivered`,
    ...some(counts.bouncedPermanent, 'bounced for good'),
    ...some(counts.bouncedTransient, 'bounced for now'),
    ...some(counts.complained, 'complained'),
    ...some(counts.rejected, 'rejected'),
    ...some(counts.delayed, 'delayed'),
    ...some(counts.unsubscribed, 'unsubscribed through this issue'),
    ...(counts.opened === undefined ? [] : [`${counts.opened} opened`]),
    ...(counts.clicked === undefined ? [] : [`${counts.clicked} clicked`]),
  ];
  const links = (counts.clicks ?? [])
    .slice(0, LINKS_NAMED)
    .map(({ link, clicks }) => `${link} (${clicks})`);
  return (
    ` Afterwards: ${parts.join(', ')}.` +
    (links.length > 0 ? ` Most clicked: ${links.join(', ')}.` : '')
  );
}
