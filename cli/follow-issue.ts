import { canaryHolds } from '#core/issues/canary-holds.ts';
import { canaryDue, endCanary } from '#core/issues/end-canary.ts';
import { finishIssue, type IssueStatus } from '#core/issues/issue-status.ts';
import type { Issue, IssueCanary, IssueState, TimelineEntry } from '#core/issues/ports.ts';
import { restoreWorkList } from '#core/issues/prepare-issue.ts';
import type { IssueDeps } from '#core/issues/send-issue.ts';
import { progressBar } from './progress-bar.ts';

/** Where an issue stands when a command stops following it. */
export interface SendOutcome {
  status: IssueStatus;
  /** True when every message of the issue has its final outcome (or there was no issue). */
  done: boolean;
  /** Set when the issue was paused or cancelled meanwhile: its state, and the timeline entry. */
  stopped?: { state: IssueState; by: TimelineEntry | undefined };
}

/** Milliseconds between looks at the send queue while an issue is sent. */
const POLL_MS = 250;

/**
 * Follows the issue until it is sent, with a progress bar on a terminal, or until someone
 * pauses or cancels it (this command's Ctrl-C, another terminal, the schedule's automatic
 * pause). The send queue is only the work list: when it holds nothing and the ledger says
 * messages are not done (the queue lost them in a crash, or they went to its dead-letter
 * queue), they are enqueued again. The progress bar reads the ledger's counters; the whole
 * ledger is counted only when the queue is empty (see `finishIssue`). Gives up after
 * `stallMs` without any change.
 *
 * While the issue's canary waits, the rest of the list is held back on purpose: that is no
 * stall, and the queue may rest idle without the ledger being counted or restored; `onCanary`
 * is told once. When the wait is over the follower ends the canary itself (`endCanary`), as
 * no minute tick may run here; should the tick end it first, only one of them enqueues.
 */
export async function followIssue(
  deps: IssueDeps,
  issue: Issue,
  stallMs: number,
  onCanary?: (canary: IssueCanary, status: IssueStatus) => void,
): Promise<SendOutcome> {
  const bar = progressBar('Sending');
  const pace = countingPace();
  const watch = stallWatch(stallMs);
  let told: string | undefined;
  for (;;) {
    const idle = await deps.queue.isIdle();
    const now = Date.now();
    // Read at every look: a pause from another terminal is noticed at once.
    const current = (await deps.issues.get(issue.issueId)) ?? issue;
    if (canaryDue(current, deps.now())) {
      await endCanary(deps, current);
      continue;
    }
    const stopped = current.state === 'paused' || current.state === 'cancelled';
    const waiting = canaryWaits(current);
    // An idle queue asks for the full count, which alone can tell that the issue is sent;
    // not while the canary waits, when an idle queue is what is meant.
    const exact = idle && !waiting;
    if (exact || stopped || pace.due(now)) {
      const { status, done } = await finishIssue(deps, current, deps.now(), { exact });
      pace.counted(now);
      bar.update(status.sent + status.failed, status.recipients);
      if (done) return { status, done };
      if (stopped) {
        bar.stop();
        return { status, done, stopped: { state: current.state, by: current.timeline.at(-1) } };
      }
      if (waiting && current.canary) {
        watch.restart(now);
        if (told !== current.canary.until) {
          told = current.canary.until;
          bar.stop();
          onCanary?.(current.canary, status);
        }
      } else if (watch.stalled(status, now)) {
        return { status, done: false };
      }
      if (exact) await restoreWorkList(deps, current);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Whether a sending issue's canary waits: it holds, and its recipients were picked. What the
 * canary's own pages leave undone then goes with the rest when it ends (`enqueueUnfinished`).
 */
function canaryWaits(issue: Issue): boolean {
  return issue.state === 'sending' && canaryHolds(issue) && issue.canary?.until !== undefined;
}

/** When the ledger may be counted again while the queue still holds work. */
function countingPace() {
  let countedAt = 0;
  let everyMs = 0;
  return {
    due(now: number): boolean {
      return now - countedAt >= everyMs;
    },
    /** Records a count that started at `startedAt`. */
    counted(startedAt: number): void {
      countedAt = Date.now();
      // A full count shares the machine with the senders: at most a tenth of the time.
      everyMs = Math.min(10_000, Math.max(1_000, (countedAt - startedAt) * 10));
    },
  };
}

/** Tells when the status has not changed for longer than `stallMs`. */
function stallWatch(stallMs: number) {
  let last = '';
  let changedAt = Date.now();
  return {
    /** Starts counting afresh from `now`: the time until then was no stall. */
    restart(now: number): void {
      last = '';
      changedAt = now;
    },
    stalled(status: IssueStatus, now: number): boolean {
      const seen = JSON.stringify(status);
      if (seen !== last) {
        last = seen;
        changedAt = now;
        return false;
      }
      return now - changedAt > stallMs;
    },
  };
}
