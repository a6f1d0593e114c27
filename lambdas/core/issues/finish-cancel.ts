import type { SendLedger } from '../sending/ports.ts';
import { type MarkedRecords, markCancelled } from './mark-cancelled.ts';
import type { IssueStore } from './ports.ts';

/**
 * The second half of a cancel, once no sender can claim any more: marks the issue's unsent
 * records `cancelled` (`markCancelled`) and, when none was sent, claimed or unknown, records
 * `mailedNobody`, so that its articles become candidates again. Run again (a step delivered
 * twice, a run cut short), it marks what is left and comes to the same end.
 * @param onProgress told after each page of the ledger how many records were looked at
 */
export async function finishCancel(
  deps: {
    issues: Pick<IssueStore, 'update'>;
    ledger: Pick<SendLedger, 'pages' | 'update'>;
    now(): Date;
  },
  issueId: string,
  onProgress?: (done: number) => void,
): Promise<MarkedRecords> {
  const found = await markCancelled(deps, issueId, onProgress);
  if (found.mailed === 0) await deps.issues.update(issueId, { mailedNobody: true });
  return found;
}
