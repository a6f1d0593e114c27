import { GetSendQuotaCommand, type SESClient } from '@aws-sdk/client-ses';
import type { SendQuota } from '#core/sending/ports.ts';

/** Milliseconds to wait for `GetSendQuota` before using the configured rate. */
export const SEND_QUOTA_TIMEOUT_MS = 3_000;

/** The account's `MaxSendRate` from SES `GetSendQuota`, given up on after a timeout. */
export class SesSendQuota implements SendQuota {
  constructor(
    private readonly client: SESClient,
    private readonly timeoutMs = SEND_QUOTA_TIMEOUT_MS,
  ) {}

  async maxSendRate(): Promise<number | undefined> {
    try {
      const quota = await this.client.send(new GetSendQuotaCommand({}), {
        abortSignal: AbortSignal.timeout(this.timeoutMs),
      });
      const rate = quota.MaxSendRate;
      return rate !== undefined && rate > 0 ? rate : undefined;
    } catch {
      // No quota in time (no permission, an emulator that never answers): the caller falls
      // back to the configured rate.
      return undefined;
    }
  }
}
