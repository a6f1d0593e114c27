import type { SendLedger, SendRecord } from '../sending/ports.ts';
import { SES_CALL_TIMEOUT_MS } from '../sending/send-pacing.ts';
import type { Issue, IssueStore } from './ports.ts';

/**
 * Where an issue's send stands, as `newsletter status --json` prints it. Every field but
 * `issueId` is a count; `recipients` = `queued` + `sent` + `failed` + `unknown`.
 */
export interface IssueStatus {
  issueId: string | null;
  articles: number;
  recipients: number;
  /** Not sent yet (including messages being handed to SES right now). */
  queued: number;
  sent: number;
  /** Refused by SES for good. */
  failed: number;
  /**
   * Handed to SES with no answer (a broken connection, a timeout, a crash inside the call):
   * sent if SES's `Send` event arrives, else sent again once the window has passed.
   */
  unknown: number;
  /** Skipped: unsubscribed or suppressed when the issue was prepared or sent. */
  suppressed: number;
}

/**
 * After this long a `claimed` record counts as `unknown`: twice the longest an SES call
 * lasts, so the process holding the claim died inside the call.
 */
export const STALE_CLAIM_MS = 2 * SES_CALL_TIMEOUT_MS;

/** The status of an issue with nothing in it, e.g. when there is no issue at all. */
export const emptyStatus: IssueStatus = {
  issueId: null,
  articles: 0,
  recipients: 0,
  queued: 0,
  sent: 0,
  failed: 0,
  unknown: 0,
  suppressed: 0,
};

/** Adds records to a status's counts (an issue's records may come a page at a time). */
export function countSends(status: IssueStatus, records: readonly SendRecord[], now: Date) {
  const staleBefore = now.getTime() - STALE_CLAIM_MS;
  for (const record of records) {
    switch (record.status) {
      case 'queued':
        status.queued++;
        break;
      case 'claimed':
        if (Date.parse(record.updatedAt) < staleBefore) status.unknown++;
        else status.queued++;
        break;
      case 'unknown':
        status.unknown++;
        break;
      case 'sent':
        status.sent++;
        break;
      case 'failed':
        status.failed++;
        break;
      case 'suppressed':
        status.suppressed++;
        break;
    }
  }
  status.recipients = status.queued + status.sent + status.failed + status.unknown;
  return status;
}

/** The status of `issue`, counted from its send ledger (the truth), a page at a time. */
export async function issueStatus(
  ledger: Pick<SendLedger, 'pages'>,
  issue: Issue,
  now: Date,
): Promise<IssueStatus> {
  const status: IssueStatus = {
    ...emptyStatus,
    issueId: issue.issueId,
    articles: issue.articleIds.length,
  };
  for await (const records of ledger.pages(issue.issueId)) countSends(status, records, now);
  return status;
}

/** True when every message of a prepared issue has its final outcome. */
export function isFinished(issue: Issue, status: IssueStatus): boolean {
  return issue.preparedAt !== undefined && status.queued === 0 && status.unknown === 0;
}

/**
 * Marks an issue done when its ledger says every message has its final outcome. Counting
 * reads the whole ledger of the issue: call it when someone asks (status, the sending
 * command, the next schedule), never per message.
 * @returns the issue's status, and whether the issue is done (now or before)
 */
export async function finishIssue(
  deps: { ledger: Pick<SendLedger, 'pages'>; issues: Pick<IssueStore, 'markDone'> },
  issue: Issue,
  now: Date,
): Promise<{ status: IssueStatus; done: boolean }> {
  const status = await issueStatus(deps.ledger, issue, now);
  if (issue.status === 'done') return { status, done: true };
  if (!isFinished(issue, status)) return { status, done: false };
  await deps.issues.markDone(issue.issueId);
  return { status, done: true };
}
