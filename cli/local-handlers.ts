import type { Config } from '#core/common/config.ts';
import type { LocalHandlers } from './local/local-runtime.ts';
import { localTokenKey } from './token-key.ts';

/**
 * The handlers the local runtime invokes, as on Lambda but wired to this state folder: its
 * key for subscriber links, and the unknown-outcome window of the local SES (which
 * publishes its events at once). Each call makes the state of one container.
 */
export function localHandlers(config: Config, stateDir: string): LocalHandlers {
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
  };
}
