import type { LogLine } from '#core/common/log-line.ts';
import { withoutAddresses } from '#core/common/without-addresses.ts';

/**
 * Work the answer does not wait for, left to run in this process: its failure is logged
 * (without addresses) rather than lost. Right for a long-lived server (the studio); a Lambda
 * function is frozen once it has answered, so there the work must be handed on or awaited.
 */
export function keepGoing(log: LogLine): (what: string, work: Promise<unknown>) => void {
  return (what, work) => {
    work.catch((error: unknown) => {
      log({
        level: 'error',
        message: `editor api: ${what} failed after the answer`,
        error: withoutAddresses(
          error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        ),
      });
    });
  };
}
