import type { Config } from '#core/common/config.ts';
import type { LogLine } from '#core/common/log-line.ts';
import type { LocalHandlers } from './local/local-runtime.ts';
import type { ScheduledIssueInvoke } from './local/local-scheduler.ts';
import { writeLocalIssue } from './local-archive.ts';
import { localTokenKey } from './token-key.ts';

/**
 * The handlers the local runtime invokes, as on Lambda but wired to this state folder: its
 * key for subscriber links, and the unknown-outcome window of the local SES (which
 * publishes its events at once). Each call makes the state of one container.
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
      const tokenKey = await localTokenKey(stateDir);
      return createSendBatchHandler(async () =>
        sendBatchContainer({
          config,
          tokenKey,
          unknownWindowSeconds: config.localSendUnknownWindowSeconds,
          log,
        }),
      );
    },
    async sesEvents(log) {
      const { createSesEventsHandler, sesEventsContainer } = await import(
        '#handlers/ses-events.ts'
      );
      const tokenKey = await localTokenKey(stateDir);
      return createSesEventsHandler(async () => sesEventsContainer({ config, tokenKey, log }));
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
