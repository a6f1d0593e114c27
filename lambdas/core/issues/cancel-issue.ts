import { finishCancel } from './finish-cancel.ts';
import type { IssueDeps } from './issue-deps.ts';
import { IssueNotFoundError } from './issue-not-found-error.ts';
import { moveIssue } from './move-issue.ts';
import { type StopDeps, type StoppedIssue, stopped } from './pause-issue.ts';

/**
 * Cancels a draft, or an issue that is sending or paused. A draft is simply cancelled: nobody
 * was mailed, so its articles stay candidates. Otherwise one conditional write makes it
 * `cancelled`, new claims stop as for a pause (`awaitSenders`), and the list's sending slot is
 * freed for the next issue; `onStopped` is told at once. Then every `queued` record, and
 * every `held` one of a canary, becomes `cancelled` (`markCancelled`, while the senders mark
 * those of the pages they reach), so the counts show them as they are marked. Claimed and
 * unknown records settle from SES events as before, and are never sent again. When no record
 * was sent, claimed or unknown, the issue records `mailedNobody` and its articles become
 * candidates again; a cancel cut short before that leaves them carried, the safe side.
 * With `handOff`, that second half (`finishCancel`) is handed on instead (the send queue's
 * `CancelStep`), and the result says so (`handedOff`).
 * @throws IssueStateError when the issue is sent or cancelled already (nothing changes)
 */
export async function cancelIssue(
  deps: StopDeps & Pick<IssueDeps, 'ledger'>,
  issueId: string,
  actor: string,
  progress: {
    onStopped?(stopped: StoppedIssue): void;
    onMarked?(done: number): void;
    /** Hands the marking on to another process, for a host that must answer first. */
    handOff?(issueId: string): Promise<void>;
  } = {},
): Promise<StoppedIssue & { handedOff?: true }> {
  const current = await deps.issues.get(issueId);
  if (!current) throw new IssueNotFoundError(issueId);
  const at = deps.now();
  if (current.state === 'draft') {
    const issue = await deps.issues.move(issueId, {
      from: ['draft'],
      to: 'cancelled',
      changes: { mailedNobody: true },
      entry: { at: at.toISOString(), actor, action: 'cancel' },
    });
    if (issue) return { issue, inFlight: 0, waitedMs: 0 };
  }
  const issue = await moveIssue(deps.issues, issueId, 'cancel', { actor, at });
  const result = await stopped(deps, issue);
  await deps.issues.releaseSendingSlot(issueId);
  progress.onStopped?.(result);
  if (progress.handOff) {
    await progress.handOff(issueId);
    return { ...result, handedOff: true };
  }
  const { mailed } = await finishCancel(deps, issueId, progress.onMarked);
  if (mailed === 0) result.issue.mailedNobody = true;
  return result;
}
