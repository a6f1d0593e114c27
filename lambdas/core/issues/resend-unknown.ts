import type { SendLedger, SendPage, SendQueue } from '../sending/ports.ts';
import { splitIntoPages } from '../sending/send-pacing.ts';
import { STALE_CLAIM_MS } from './issue-status.ts';
import type { Issue } from './ports.ts';
import type { IssueDeps } from './send-issue.ts';

/**
 * An editor's decision: every message of the issue whose outcome is unknown (and every claim
 * older than any SES call lasts) goes back to `queued` and onto the send queue now, without
 * waiting for SES's `Send` event or the window. Such a recipient may get the issue twice.
 * @returns how many messages were queued again
 */
export async function resendUnknown(
  deps: Pick<IssueDeps, 'config' | 'now'> & {
    ledger: Pick<SendLedger, 'pages' | 'update'>;
    queue: Pick<SendQueue, 'enqueue'>;
  },
  issue: Issue,
): Promise<number> {
  const now = deps.now();
  const staleBefore = now.getTime() - STALE_CLAIM_MS;
  const released: string[] = [];
  for await (const records of deps.ledger.pages(issue.issueId)) {
    for (const record of records) {
      const stuck =
        record.status === 'unknown' ||
        (record.status === 'claimed' && Date.parse(record.updatedAt) < staleBefore);
      if (!stuck) continue;
      const changed = await deps.ledger.update(
        issue.issueId,
        record.subscriberId,
        { status: [record.status], claim: record.claim ?? null, updatedAt: record.updatedAt },
        { status: 'queued', claim: null },
        now.toISOString(),
      );
      if (changed) released.push(record.subscriberId);
    }
  }
  const pages: SendPage[] = splitIntoPages(released, {
    configured: deps.config.sendPageSize,
    issueRate: issue.rate ?? deps.config.sendRate,
    maxConcurrency: deps.config.sendConcurrency,
  }).map((subscriberIds) => ({ issueId: issue.issueId, subscriberIds }));
  if (pages.length > 0) await deps.queue.enqueue(pages);
  return released.length;
}
