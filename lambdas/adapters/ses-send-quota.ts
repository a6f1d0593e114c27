import { GetSendQuotaCommand, type SESClient } from '@aws-sdk/client-ses';
import type { LogLine } from '#core/common/log-line.ts';
import { withoutAddresses } from '#core/common/without-addresses.ts';
import type { SendQuota } from '#core/sending/ports.ts';

/** Milliseconds to wait for `GetSendQuota` before using the configured rate. */
export const SEND_QUOTA_TIMEOUT_MS = 3_000;

/** Options of {@link SesSendQuota}. */
export interface SesSendQuotaOptions {
  /** Milliseconds to wait for an answer; default {@link SEND_QUOTA_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Where a failed call is reported; default a JSON line on the console's warnings. */
  log?: LogLine;
}

/**
 * The account's `MaxSendRate` from SES `GetSendQuota`, given up on after a timeout. A call
 * that fails (a lost `ses:GetSendQuota` permission, SES out of reach, no answer in time) is
 * logged as a warning, and the caller falls back to the configured rate.
 */
export class SesSendQuota implements SendQuota {
  private readonly timeoutMs: number;
  private readonly log: LogLine;

  constructor(
    private readonly client: SESClient,
    options: SesSendQuotaOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? SEND_QUOTA_TIMEOUT_MS;
    this.log = options.log ?? ((line) => console.warn(JSON.stringify(line)));
  }

  async maxSendRate(): Promise<number | undefined> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      const quota = await this.client.send(new GetSendQuotaCommand({}), { abortSignal: signal });
      const rate = quota.MaxSendRate;
      return rate !== undefined && rate > 0 ? rate : undefined;
    } catch (error) {
      // The configured rate may be far from the account's: whoever runs the list must see why.
      this.log({
        level: 'warn',
        message:
          'SES GetSendQuota failed, so the configured sendRate applies: check that the ' +
          'function may call ses:GetSendQuota and can reach SES',
        error: signal.aborted
          ? `no answer within ${this.timeoutMs} ms`
          : withoutAddresses(
              error instanceof Error ? `${error.name}: ${error.message}` : String(error),
            ),
      });
      return undefined;
    }
  }
}
