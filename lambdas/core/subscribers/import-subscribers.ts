import { type AddSubscriberOutcome, addSubscriber } from './add-subscriber.ts';
import type { ParsedSubscriberCsv, SubscriberCsvError } from './parse-subscriber-csv.ts';
import type { SubscriberStatus } from './ports.ts';
import type { SubscriptionDeps } from './subscription-deps.ts';

export interface ImportSubscribersOptions {
  /** Import nothing when any row is bad. */
  strict?: boolean;
  /** Mail each new address a confirmation link (pending) instead of adding it active. */
  confirm?: boolean;
  /** Rows added at once (default 8). */
  concurrency?: number;
}

/** What an import did, as `subscribers import --json` prints it. */
export interface ImportSubscribersSummary {
  /** Good rows in the file. */
  rows: number;
  /** New subscribers, by status. */
  added: Partial<Record<SubscriberStatus, number>>;
  /** Addresses already present, left as they were, by status. */
  unchanged: Partial<Record<SubscriberStatus, number>>;
  /** New subscribers whose status a kept suppression decided (forgotten earlier). */
  held: number;
  /** With `confirm`: confirmation emails sent, and refused by the mail service. */
  confirmationsSent: number;
  confirmationsRejected: number;
  /** Bad rows, by line. */
  errors: SubscriberCsvError[];
  /** True when `strict` stopped the import because of bad rows. */
  stopped: boolean;
}

/**
 * Adds the good rows of a parsed subscriber file (see `addSubscriber`: an address present
 * keeps its status). With `strict`, a single bad row stops the whole import.
 */
export async function importSubscribers(
  deps: SubscriptionDeps,
  parsed: ParsedSubscriberCsv,
  options: ImportSubscribersOptions = {},
): Promise<ImportSubscribersSummary> {
  const summary: ImportSubscribersSummary = {
    rows: parsed.rows.length,
    added: {},
    unchanged: {},
    held: 0,
    confirmationsSent: 0,
    confirmationsRejected: 0,
    errors: parsed.errors,
    stopped: false,
  };
  if (options.strict && parsed.errors.length > 0) return { ...summary, stopped: true };
  const outcomes: AddSubscriberOutcome[] = [];
  const queue = [...parsed.rows];
  const worker = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      outcomes.push(
        await addSubscriber(deps, row, { source: 'import', confirm: options.confirm ?? false }),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 8) }, worker));
  for (const outcome of outcomes) {
    const tally = outcome.created ? summary.added : summary.unchanged;
    tally[outcome.subscriber.status] = (tally[outcome.subscriber.status] ?? 0) + 1;
    if (outcome.heldBy) summary.held++;
    if (outcome.confirmation === 'sent') summary.confirmationsSent++;
    if (outcome.confirmation === 'rejected') summary.confirmationsRejected++;
  }
  return summary;
}
