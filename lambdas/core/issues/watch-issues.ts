import type { SendCounts, SendLedger } from '../sending/ports.ts';
import { canaryHolds } from './canary-holds.ts';
import type { IssueDeps } from './issue-deps.ts';
import type { Issue, IssueStore } from './ports.ts';

/** How long a sending issue may go without advancing before it counts as stalled. */
export const STALL_MS = 60 * 60_000;

/**
 * Where a sending issue's ledger stood at a look, and since when it has stood there: what one
 * look hands to the next (`watchIssues`). It has advanced when either figure changed.
 */
export interface IssueProgress {
  issueId: string;
  /** Records in the ledger: grows while the list is being prepared. */
  records: number;
  /** Records with their final outcome (`sent`, `failed`, `suppressed`, `cancelled`). */
  settled: number;
  /** When these figures were first seen (ISO 8601). */
  since: string;
}

/**
 * What a look found of an issue sending or paused. `rate` is the issue's (messages per second,
 * all senders together), the cap its senders keep to.
 * - `advancing`: it advanced at `since`, less than an hour ago.
 * - `canary-wait`: its canary holds the other recipients back until `until`: nothing to do.
 * - `settled`: every record has its final outcome; the next look that counts its ledger in
 *   full (the schedule, `status`) marks it sent.
 * - `stalled`: with work left, it has not advanced since `since`, `minutes` ago (an hour or
 *   more), nor started, resumed or ended its canary since.
 * - `paused`, `paused-too-long`: paused at `since`, `hours` ago; too long from
 *   `pausedAlarmHours` on.
 */
export type IssueWatch =
  | { kind: 'advancing'; issueId: string; rate: number; since: string }
  | { kind: 'canary-wait'; issueId: string; rate: number; until: string }
  | { kind: 'settled'; issueId: string; rate: number }
  | { kind: 'stalled'; issueId: string; rate: number; since: string; minutes: number }
  | { kind: 'paused' | 'paused-too-long'; issueId: string; since: string; hours: number };

/** What watching the issues reads. */
export interface WatchIssuesDeps {
  config: Pick<IssueDeps['config'], 'sendRate'>;
  issues: Pick<IssueStore, 'list'>;
  ledger: Pick<SendLedger, 'counts'>;
  now(): Date;
}

/** How to judge, and what the last look saw. */
export interface WatchOptions {
  /** Hours from which a paused issue is paused too long. */
  pausedAlarmHours: number;
  /** The progress the last look returned (`seen`); none at a first look. */
  seen: readonly IssueProgress[];
}

/**
 * Looks at every issue sending or paused, as the minute tick does, and says what it found
 * (`IssueWatch`). Whether a sending issue advanced is read from its ledger's counters
 * (`SendLedger.counts`, a few reads at any size): the records it holds and those with their
 * final outcome. A record only moving between `queued`, `claimed` and `unknown` (SES refusing
 * again and again, a sender failing each page) is no advance. The counters keep no time, so
 * each look returns what it saw (`seen`) for the next to compare: an issue is stalled once its
 * figures have stood still for an hour of looks (`STALL_MS`), counted from its latest start,
 * resume or canary entry in its timeline when that is later, and from the end of its canary's
 * wait. A first look (no `seen`) counts from now, so it never finds a stall: at worst an alarm
 * comes an hour late, never falsely. Reads only: it changes nothing.
 */
export async function watchIssues(
  deps: WatchIssuesDeps,
  options: WatchOptions,
): Promise<{ watches: IssueWatch[]; seen: IssueProgress[] }> {
  const now = deps.now();
  const watches: IssueWatch[] = [];
  const seen: IssueProgress[] = [];
  for (const issue of await deps.issues.list()) {
    if (issue.state === 'paused') watches.push(watchPaused(issue, now, options.pausedAlarmHours));
    if (issue.state !== 'sending') continue;
    const counts = await deps.ledger.counts(issue.issueId);
    const progress = progressOf(issue.issueId, counts, options.seen, now);
    seen.push(progress);
    watches.push(watchSending(issue, counts, progress, now, issue.rate ?? deps.config.sendRate));
  }
  return { watches, seen };
}

/** The ledger's figures now, and since when they stand as the last look saw them. */
function progressOf(
  issueId: string,
  counts: SendCounts,
  seen: readonly IssueProgress[],
  now: Date,
): IssueProgress {
  const records = Object.values(counts).reduce((sum, count) => sum + count, 0);
  const settled = counts.sent + counts.failed + counts.suppressed + counts.cancelled;
  const last = seen.find((progress) => progress.issueId === issueId);
  const unchanged = last !== undefined && last.records === records && last.settled === settled;
  return { issueId, records, settled, since: unchanged ? last.since : now.toISOString() };
}

function watchSending(
  issue: Issue,
  counts: SendCounts,
  progress: IssueProgress,
  now: Date,
  rate: number,
): IssueWatch {
  const { issueId } = issue;
  const until = canaryHolds(issue) ? issue.canary?.until : undefined;
  if (until !== undefined && Date.parse(until) > now.getTime()) {
    return { kind: 'canary-wait', issueId, rate, until };
  }
  const left = [counts.queued, counts.held, counts.claimed, counts.unknown]
    .map((count) => Math.max(0, count))
    .reduce((sum, count) => sum + count, 0);
  if (issue.preparedAt !== undefined && left === 0) return { kind: 'settled', issueId, rate };
  const since = latest([
    progress.since,
    issue.startedAt,
    ...issue.timeline.map((entry) => entry.at),
    until,
  ]);
  const idleMs = now.getTime() - Date.parse(since);
  if (idleMs < STALL_MS) return { kind: 'advancing', issueId, rate, since };
  return { kind: 'stalled', issueId, rate, since, minutes: Math.floor(idleMs / 60_000) };
}

function watchPaused(issue: Issue, now: Date, pausedAlarmHours: number): IssueWatch {
  const pause = issue.timeline.findLast((entry) => entry.action === 'pause');
  const since = pause?.at ?? issue.timeline.at(-1)?.at ?? issue.startedAt ?? issue.createdAt;
  const pausedMs = now.getTime() - Date.parse(since);
  return {
    kind: pausedMs >= pausedAlarmHours * 3_600_000 ? 'paused-too-long' : 'paused',
    issueId: issue.issueId,
    since,
    hours: Math.floor(pausedMs / 3_600_000),
  };
}

/** The latest of these times (ISO 8601), as ISO 8601. */
function latest(times: readonly (string | undefined)[]): string {
  const ms = times
    .filter((time): time is string => time !== undefined)
    .map((time) => Date.parse(time));
  return new Date(Math.max(...ms)).toISOString();
}
