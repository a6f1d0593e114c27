import type { Config } from '#core/common/config.ts';
import type { LogLine } from '#core/common/log-line.ts';
import type { LocalHandlers } from './local/local-runtime.ts';
import type { ScheduledIssueInvoke } from './local/local-scheduler.ts';
import { logSendMetrics } from './local/log-send-metrics.ts';
import { writeLocalIssue } from './local-archive.ts';
import { LocalLinkKeys } from './local-link-keys.ts';
import { localHashKey } from './token-key.ts';

/**
 * The handlers the local runtime invokes, as on Lambda but wired to this state folder: its
 * link keys and hash key, and the unknown-outcome window of the local SES (which
 * publishes its events at once). Each call makes the state of one container; its log and its
 * send metrics (`logSendMetrics`) go to the `log` it is given, `handlers.log`.
 */
export function localHandlers(
  config: Config,
  stateDir: string,
): LocalHandlers & { scheduledIssue(log: LogLine): Promise<ScheduledIssueInvoke> } {
  return {
    async sendBatch(log) {
      const { createSendBatchHandler, sendBatchContainer } = await import(
        '#handlers/send-batch.ts'
      );
      const linkKeys = new LocalLinkKeys(stateDir);
      return createSendBatchHandler(async () =>
        sendBatchContainer({
          config,
          linkKeys,
          unknownWindowSeconds: config.localSendUnknownWindowSeconds,
          log,
          metrics: logSendMetrics(log),
        }),
      );
    },
    async sesEvents(log) {
      const { createSesEventsHandler, sesEventsContainer } = await import(
        '#handlers/ses-events.ts'
      );
      const hashKey = await localHashKey(stateDir);
      return createSesEventsHandler(async () =>
        sesEventsContainer({ config, hashKey, log, metrics: logSendMetrics(log) }),
      );
    },
    /**
     * The scheduled-issue handler, for serve's scheduler: the issue's public copy goes to the
     * local archive and into the state folder, as `send` keeps it.
     */
    async scheduledIssue(log) {
      const { createScheduledIssueHandler } = await import('#handlers/scheduled-issue.ts');
      const { issueDepsFromEnv } = await import('#adapters/issue-deps-from-env.ts');
      const { archiveFromEnv } = await import('#adapters/s3-archive.ts');
      const { loadTemplates } = await import('#templates/load-templates.ts');
      const templates = await loadTemplates();
      return createScheduledIssueHandler(async () => ({
        deps: issueDepsFromEnv(
          config,
          templates,
          async (issueId, content) => {
            await archiveFromEnv().putIssue(issueId, content.html);
            await writeLocalIssue(stateDir, issueId, content);
          },
          log,
          config.localSendUnknownWindowSeconds,
        ),
        log,
        requireApproval: config.requireApproval,
      }));
    },
  };
}
