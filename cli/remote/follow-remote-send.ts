import type { IssueReport } from '#core/issues/issue-report.ts';
import type { IssueStatus } from '#core/issues/issue-status.ts';
import type { CommandContext } from '../command-context.ts';
import { describeCanary } from '../describe-canary.ts';
import { describeStatus } from '../describe-status.ts';
import type { SendOutcome } from '../follow-issue.ts';
import { describeStop } from '../follow-send.ts';
import type { Output } from '../output.ts';
import { progressBar } from '../progress-bar.ts';

/** Milliseconds between two reads of the issue while the stack sends it. */
const POLL_MS = 1_000;

/**
 * Follows an issue that a deployed stack sends (`send`, `issues send`, `issues resume` with
 * `NEWSLETTER_TARGET=aws`): reads it through the editor API (`GET /issues/:id`, which also
 * marks it sent once every message has its outcome) every second, with the progress bar, until
 * it is sent, paused or cancelled. Ctrl-C pauses it through the API. Gives up after `stallMs`
 * without any change, saying where to look. Prints how it ended, as `followSend` does locally.
 */
export async function followRemoteSend(
  context: CommandContext,
  out: Output,
  issueId: string,
  stallMs: number,
): Promise<SendOutcome & { report: IssueReport }> {
  const api = context.editorApi();
  const { scheduleTimeZone } = await context.config();
  const bar = progressBar('Sending');
  let pausing: Promise<unknown> | undefined;
  const onInterrupt = () => {
    if (pausing) return;
    out.info(`\nPausing issue ${issueId}…`);
    pausing = api.json<{ inFlight: number }>('POST', `/issues/${issueId}/pause`).then(
      ({ inFlight }) =>
        out.info(
          `Paused: ${inFlight} ${inFlight === 1 ? 'call' : 'calls'} to SES still finishing.`,
        ),
      (error: unknown) => out.info(`Could not pause: ${String(error)}`),
    );
  };
  process.on('SIGINT', onInterrupt);
  let last = '';
  let changedAt = Date.now();
  let toldCanary: string | undefined;
  let report: IssueReport;
  try {
    for (;;) {
      if (pausing) await pausing;
      report = await api.json<IssueReport>('GET', `/issues/${issueId}`);
      bar.update(report.sent + report.failed, report.recipients);
      if (report.state !== 'sending' && report.state !== 'scheduled') break;
      const seen = JSON.stringify(statusOf(report));
      if (seen !== last) {
        last = seen;
        changedAt = Date.now();
      }
      const waits = report.canary?.until !== undefined && report.canary.endedAt === undefined;
      if (waits && report.canary && toldCanary !== report.canary.until) {
        toldCanary = report.canary.until;
        bar.stop();
        out.info(
          `${describeCanary(report.canary, report.recipients, scheduleTimeZone)} Waiting for it; Ctrl-C pauses the issue.`,
        );
      }
      if (waits) changedAt = Date.now();
      if (Date.now() - changedAt > stallMs) break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    bar.stop();
    process.off('SIGINT', onInterrupt);
  }
  const status = statusOf(report);
  const done = report.state === 'sent';
  const stopped =
    report.state === 'paused' || report.state === 'cancelled'
      ? { state: report.state, by: report.timeline.at(-1) }
      : undefined;
  out.info(describeStatus(status, stopped?.state ?? (done ? 'sent' : 'sending')));
  if (stopped) {
    out.info(describeStop(issueId, stopped));
  } else if (!done) {
    out.info(
      `No progress for ${stallMs / 1000} s: the issue is not finished. See the send-batch function's logs; \`newsletter send\` follows it again.`,
    );
  }
  return { status, done, report, ...(stopped ? { stopped } : {}) };
}

/** The counts of a report, as `SendOutcome.status` holds them. */
function statusOf(report: IssueReport): IssueStatus {
  const { issueId, articles, recipients, queued, sent, failed, unknown, suppressed, cancelled } =
    report;
  return {
    issueId,
    articles,
    recipients,
    queued,
    sent,
    failed,
    unknown,
    suppressed,
    cancelled,
    ...(report.heldBy ? { heldBy: report.heldBy } : {}),
  };
}
