import type { SendLedger } from '../sending/ports.ts';
import type { SendEvent } from './ses-notification.ts';

/**
 * Applies SES `Send` events to the send ledger: a message whose outcome was unknown (or
 * whose sender died inside the SES call) was accepted by SES, so its record becomes `sent`
 * with SES's MessageId. Records that are final already are left alone, so applying an event
 * twice, or after the sender recorded SES's answer, changes nothing.
 * @returns how many records became `sent`
 */
export async function applySendEvents(
  ledger: Pick<SendLedger, 'getMany' | 'update'>,
  events: readonly SendEvent[],
  at: string,
): Promise<number> {
  const byIssue = new Map<string, SendEvent[]>();
  for (const event of events) {
    byIssue.set(event.issueId, [...(byIssue.get(event.issueId) ?? []), event]);
  }
  let resolved = 0;
  for (const [issueId, issueEvents] of byIssue) {
    // One read for the batch: almost every record is `sent` already (SES answered first).
    const records = await ledger.getMany(
      issueId,
      issueEvents.map((event) => event.subscriberId),
    );
    const open = new Set(
      records
        .filter((record) => record.status === 'claimed' || record.status === 'unknown')
        .map((record) => record.subscriberId),
    );
    for (const event of issueEvents) {
      if (!open.has(event.subscriberId)) continue;
      const changed = await ledger.update(
        issueId,
        event.subscriberId,
        { status: ['claimed', 'unknown'] },
        { status: 'sent', messageId: event.messageId },
        at,
      );
      if (changed) resolved++;
    }
  }
  return resolved;
}
