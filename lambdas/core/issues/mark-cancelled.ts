import type { SendLedger, SendRecord } from '../sending/ports.ts';

/** Conditional writes under way at once while marking. */
const MARKS_IN_FLIGHT = 16;

/** What marking a cancelled issue's records found. */
export interface MarkedRecords {
  /** Records this call moved from `queued` or `held` to `cancelled`. */
  marked: number;
  /** Records that were, or may have been, mailed: `sent`, `claimed` or `unknown`. */
  mailed: number;
}

/**
 * Marks every `queued` or `held` record of a cancelled issue `cancelled`, a page of the ledger
 * at a time, each with one conditional write on its status: the background step of a cancel,
 * beside the senders, which mark those of the pages they reach (a record one of them marked
 * first is left as it is). Call it once no sender can claim any more (`awaitSenders`): then nothing
 * moves a record to `claimed` again, and what it counts as mailed is final, but for a `Send`
 * event turning `unknown` into `sent`, which changes nothing of that count.
 * @param onProgress told after each page how many records were looked at, of how many seen
 */
export async function markCancelled(
  deps: { ledger: Pick<SendLedger, 'pages' | 'update'>; now(): Date },
  issueId: string,
  onProgress?: (done: number) => void,
): Promise<MarkedRecords> {
  const found: MarkedRecords = { marked: 0, mailed: 0 };
  let done = 0;
  for await (const records of deps.ledger.pages(issueId)) {
    const unsent: SendRecord[] = [];
    for (const record of records) {
      if (record.status === 'queued' || record.status === 'held') unsent.push(record);
      else if (['sent', 'claimed', 'unknown'].includes(record.status)) found.mailed++;
    }
    for (let start = 0; start < unsent.length; start += MARKS_IN_FLIGHT) {
      const moved = await Promise.all(
        unsent
          .slice(start, start + MARKS_IN_FLIGHT)
          .map((record) =>
            deps.ledger.update(
              issueId,
              record.subscriberId,
              { status: [record.status] },
              { status: 'cancelled', claim: null },
              deps.now().toISOString(),
            ),
          ),
      );
      found.marked += moved.filter(Boolean).length;
    }
    done += records.length;
    onProgress?.(done);
  }
  return found;
}
