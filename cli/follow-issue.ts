import { finishIssue, type IssueStatus } from '#core/issues/issue-status.ts';
import type { Issue } from '#core/issues/ports.ts';
import { restoreWorkList } from '#core/issues/prepare-issue.ts';
import type { IssueDeps } from '#core/issues/send-issue.ts';
import { progressBar } from './progress-bar.ts';

/** Where an issue stands when `newsletter send` stops following it. */
export interface SendOutcome {
  status: IssueStatus;
  /** True when every message of the issue has its final outcome (or there was no issue). */
  done: boolean;
}

/** Milliseconds between looks at the send queue while an issue is sent. */
const POLL_MS = 250;

/**
 * Follows the issue until it is done, with a progress bar on a terminal. The send queue is
 * only the work list: when it holds nothing and the ledger says messages are not done (the
 * queue lost them in a crash, or they went to its dead-letter queue), they are enqueued
 * again. Counting reads the issue's whole ledger, so it happens when the queue is empty, and
 * otherwise only every few seconds for the progress bar. Gives up after `stallMs` without
 * any change.
 */
export async function followIssue(
  deps: IssueDeps,
  issue: Issue,
  stallMs: number,
): Promise<SendOutcome> {
  const bar = progressBar('Sending');
  const pace = countingPace();
  const watch = stallWatch(stallMs);
  for (;;) {
    const idle = await deps.queue.isIdle();
    const now = Date.now();
    if (idle || pace.due(now)) {
      const { status, done } = await finishIssue(deps, issue, deps.now());
      pace.counted(now);
      bar.update(status.sent + status.failed, status.recipients);
      if (done) return { status, done };
      if (watch.stalled(status, now)) return { status, done: false };
      if (idle) await restoreWorkList(deps, issue);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
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
      // Counting shares the machine with the senders: at most a tenth of the time.
      everyMs = Math.min(10_000, Math.max(1_000, (countedAt - startedAt) * 10));
    },
  };
}

/** Tells when the status has not changed for longer than `stallMs`. */
function stallWatch(stallMs: number) {
  let last = '';
  let changedAt = Date.now();
  return {
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
