import type { SendLedger, SendRecord } from '../sending/ports.ts';
import { SES_CALL_TIMEOUT_MS } from '../sending/send-pacing.ts';
import { type DeadLetterHoldDeps, deadLetterHold } from './dead-letter-hold.ts';
import type { Issue, IssueHold, IssueStore } from './ports.ts';

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
  /**
   * Why the issue was marked done with messages of unknown outcome (`Issue.heldBy`); absent
   * otherwise. `unknown` above is the count now: a redrive may have settled some since.
   */
  heldBy?: IssueHold;
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
  for (const record of records) {
    switch (record.status) {
      case 'queued':
        status.queued++;
        break;
      case 'claimed':
      case 'unknown':
        if (isUnknown(record, now)) status.unknown++;
        else status.queued++;
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

/**
 * Whether a record counts as of unknown outcome: `unknown`, or `claimed` for longer than any
 * SES call lasts (the process holding the claim died inside the call).
 */
function isUnknown(record: SendRecord, now: Date): boolean {
  if (record.status === 'unknown') return true;
  return (
    record.status === 'claimed' && Date.parse(record.updatedAt) < now.getTime() - STALE_CLAIM_MS
  );
}

/** The status of `issue`, counted from its send ledger (the truth), a page at a time. */
export async function issueStatus(
  ledger: Pick<SendLedger, 'pages'>,
  issue: Issue,
  now: Date,
): Promise<IssueStatus> {
  return (await countIssue(ledger, issue, now)).status;
}

/**
 * The status of `issue`, and when its most recently changed record of unknown outcome
 * changed (ms since the epoch; undefined when none is unknown).
 */
async function countIssue(ledger: Pick<SendLedger, 'pages'>, issue: Issue, now: Date) {
  const status: IssueStatus = {
    ...emptyStatus,
    issueId: issue.issueId,
    articles: issue.articleIds.length,
    ...(issue.heldBy ? { heldBy: issue.heldBy } : {}),
  };
  let lastUnknownAt: number | undefined;
  for await (const records of ledger.pages(issue.issueId)) {
    countSends(status, records, now);
    for (const record of records) {
      if (!isUnknown(record, now)) continue;
      lastUnknownAt = Math.max(lastUnknownAt ?? 0, Date.parse(record.updatedAt));
    }
  }
  return { status, lastUnknownAt };
}

/** True when every message of a prepared issue has its final outcome. */
export function isFinished(issue: Issue, status: IssueStatus): boolean {
  return issue.preparedAt !== undefined && status.queued === 0 && status.unknown === 0;
}

/** What finishing an issue needs. */
export interface FinishIssueDeps extends DeadLetterHoldDeps {
  ledger: Pick<SendLedger, 'pages'>;
  issues: Pick<IssueStore, 'markDone' | 'releaseSendingSlot'>;
}

/**
 * Marks an issue done, and frees the list's sending slot for the next, when its ledger says every message has its final outcome, or when
 * only messages of unknown outcome are left and SES events stuck in the events dead-letter
 * queue hold them (`deadLetterHold`): then the issue records why (`heldBy`), those messages
 * stay `unknown` and are never sent again (the sender drops pages of a done issue), and a
 * redrive of the dead-letter queue still settles them. Counting reads the whole ledger of
 * the issue: call it when someone asks (status, the sending command, the next schedule),
 * never per message.
 * @returns the issue's status (with `heldBy` when the issue has a hold), and whether the
 *   issue is done (now or before)
 */
export async function finishIssue(
  deps: FinishIssueDeps,
  issue: Issue,
  now: Date,
): Promise<{ status: IssueStatus; done: boolean }> {
  const { status, lastUnknownAt } = await countIssue(deps.ledger, issue, now);
  if (issue.status === 'done') return { status, done: true };
  if (isFinished(issue, status)) {
    await deps.issues.markDone(issue.issueId);
    // Done first: a crash in between leaves the slot to a done issue, which the next start
    // takes over.
    await deps.issues.releaseSendingSlot(issue.issueId);
    return { status, done: true };
  }
  const heldBy = await deadLetterHold(issue, status, lastUnknownAt, deps, now);
  if (!heldBy) return { status, done: false };
  await deps.issues.markDone(issue.issueId, heldBy);
  await deps.issues.releaseSendingSlot(issue.issueId);
  return { status: { ...status, heldBy }, done: true };
}
