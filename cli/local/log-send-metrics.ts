import type { LogLine } from '#core/common/log-line.ts';
import type { SendMetrics } from '#core/sending/send-metrics.ts';

/**
 * A send's metrics locally, where the handlers run in the CLI's process: one line of `log`
 * (`handlers.log`) a recording, `{ message: 'metrics', issueId, …counts }`, as on Lambda one
 * EMF object a recording. Nothing reaches stdout, which `--json` owns.
 */
export function logSendMetrics(log: LogLine): SendMetrics {
  return {
    record(issueId, counts) {
      if (Object.values(counts).every((value) => value === undefined)) return;
      log({ message: 'metrics', issueId, ...counts });
    },
  };
}
