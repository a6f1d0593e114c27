import { plural } from '../common/plural.ts';
import type { SendCounts, SendLedger, SendRecord } from '../sending/ports.ts';
import { sendCounts } from '../sending/send-counts.ts';
import { SES_CALL_TIMEOUT_MS } from '../sending/send-pacing.ts';
import { type DeadLetterHoldDeps, deadLetterHold } from './dead-letter-hold.ts';
import type { Issue, IssueHold, IssueStore } from './ports.ts';

/**
 * Where an issue's send stands, as `newsletter status --json` prints it. Every field but
 * `issueId` and `heldBy` is a count; `recipients` = `queued` + `sent` + `failed` + `unknown`
 * + `cancelled`.
 */
export interface IssueStatus {
  issueId: string | null;
  articles: number;
  recipients: number;
  /**
   * Not sent yet: including messages being handed to SES right now, and recipients a canary
   * holds back (`held`).
   */
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
  /** Never sent because the issue was cancelled first. */
  cancelled: number;
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
  cancelled: 0,
};

/**
 * An issue's status from its ledger's counters (`SendLedger.counts`): cheap at any size, so
 * it is what people see. The counters cannot tell how old a claim is, so every `claimed`
 * record counts as `queued` (being handed to SES) here, as every `held` one does (not sent
 * yet); a count below 0, seen while the counters' writes are under way, reads as 0.
 */
export function statusFromCounts(issue: Issue, counts: SendCounts): IssueStatus {
  const at = (value: number) => Math.max(0, value);
  const status: IssueStatus = {
    ...emptyStatus,
    issueId: issue.issueId,
    articles: issue.articleIds.length,
    queued: at(counts.queued) + at(counts.held) + at(counts.claimed),
    sent: at(counts.sent),
    failed: at(counts.failed),
    unknown: at(counts.unknown),
    suppressed: at(counts.suppressed),
    cancelled: at(counts.cancelled),
    ...(issue.heldBy ? { heldBy: issue.heldBy } : {}),
  };
  status.recipients =
    status.queued + status.sent + status.failed + status.unknown + status.cancelled;
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

/**
 * The exact status of `issue`, counted from its send ledger (the truth) a page at a time, a
 * stale claim as `unknown`; with the raw counts, and when its most recently changed record of
 * unknown outcome changed (ms since the epoch; undefined when none is unknown).
 */
async function countIssue(ledger: Pick<SendLedger, 'pages'>, issue: Issue, now: Date) {
  const counts = sendCounts();
  let stale = 0;
  let lastUnknownAt: number | undefined;
  for await (const records of ledger.pages(issue.issueId)) {
    for (const record of records) {
      counts[record.status]++;
      if (!isUnknown(record, now)) continue;
      if (record.status === 'claimed') stale++;
      lastUnknownAt = Math.max(lastUnknownAt ?? 0, Date.parse(record.updatedAt));
    }
  }
  const status = statusFromCounts(issue, counts);
  status.queued -= stale;
  status.unknown += stale;
  return { status, counts, lastUnknownAt };
}

/** True when every message of a prepared issue has its final outcome. */
export function isFinished(issue: Issue, status: IssueStatus): boolean {
  return issue.preparedAt !== undefined && status.queued === 0 && status.unknown === 0;
}

/** What finishing an issue needs. */
export interface FinishIssueDeps extends DeadLetterHoldDeps {
  ledger: Pick<SendLedger, 'pages' | 'counts' | 'correctCounts'>;
  issues: Pick<IssueStore, 'move' | 'get' | 'releaseSendingSlot'>;
}

/** Who marks an issue sent in its timeline: the ledger's word, whoever noticed it. */
const FINISHER = 'ledger';

/**
 * An issue's status, and whether it is sent: the one way anyone (status, `issues show`, the
 * sending command, the schedule) learns it.
 *
 * The status comes from the ledger's counters. When they say that no message is left to send
 * or being sent, or when `exact` asks (the send queue is idle, the schedule looks), the
 * ledger is counted in full instead, the truth; then a sending or paused issue is marked
 * `sent`, and the list's sending slot freed for the next, when every message has its final
 * outcome, or when only messages of unknown outcome are left and SES events stuck in the
 * events dead-letter queue hold them (`deadLetterHold`): the issue records why (`heldBy`),
 * those messages stay `unknown` and are never sent again (the senders drop pages of a sent
 * issue), and a redrive of the dead-letter queue still settles them. A full count that finds
 * the issue sent also sets its counters right (a crash between a record's write and its
 * counter's leaves them off by one).
 * @returns the issue's status (with `heldBy` when the issue has a hold), and whether the
 *   issue is sent (now or before)
 */
export async function finishIssue(
  deps: FinishIssueDeps,
  issue: Issue,
  now: Date,
  options: { exact?: boolean } = {},
): Promise<{ status: IssueStatus; done: boolean }> {
  const counters = await deps.ledger.counts(issue.issueId);
  const cheap = statusFromCounts(issue, counters);
  if (issue.state !== 'sending' && issue.state !== 'paused') {
    return { status: cheap, done: issue.state === 'sent' };
  }
  // Held recipients too: an issue is never sent while its canary holds some back.
  const leftToSend = counters.queued + counters.held + counters.claimed;
  if (!options.exact && (leftToSend > 0 || issue.preparedAt === undefined)) {
    return { status: cheap, done: false };
  }
  const { status, counts, lastUnknownAt } = await countIssue(deps.ledger, issue, now);
  let heldBy: IssueHold | undefined;
  if (!isFinished(issue, status)) {
    heldBy = await deadLetterHold(issue, status, lastUnknownAt, deps, now);
    if (!heldBy) return { status, done: false };
  }
  const moved = await deps.issues.move(issue.issueId, {
    from: ['sending', 'paused'],
    to: 'sent',
    ...(heldBy ? { changes: { heldBy } } : {}),
    entry: {
      at: now.toISOString(),
      actor: FINISHER,
      action: 'sent',
      detail: heldBy
        ? `${plural(heldBy.unknown, 'message')} of unknown outcome held by the events dead-letter queue`
        : `${plural(status.sent, 'message')} sent`,
    },
  });
  // Moved meanwhile: cancelled by an editor, or marked sent by another process.
  if (!moved) return { status, done: (await deps.issues.get(issue.issueId))?.state === 'sent' };
  // Sent first: a crash in between leaves the slot to a sent issue, which the next start
  // takes over.
  await deps.issues.releaseSendingSlot(issue.issueId);
  // Nothing is left to move the records but SES events for unknown outcomes.
  await deps.ledger.correctCounts(issue.issueId, counts);
  return { status: heldBy ? { ...status, heldBy } : status, done: true };
}
