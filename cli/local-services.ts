import { mkdir } from 'node:fs/promises';
import type { Config } from '#core/common/config.ts';
import { startLocalRuntime } from './local/local-runtime.ts';
import { readLiveServicesRecord } from './local/services-record.ts';
import { startLocalAws } from './local/start-local-aws.ts';
import { acquireStateLock } from './local/state-lock.ts';
import { localHandlers } from './local-handlers.ts';
import { provisionLocal } from './provision-local.ts';

/** How many messages the local SES lets through in 24 hours. */
const LOCAL_MAX_24_HOUR_SEND = 1_000_000;

/**
 * Runs `work` against the local services of the state folder: those of a running
 * `newsletter serve` when there is one, else services started here, in-process, under an
 * exclusive lock on the folder. The standard AWS variables point the adapters at them, and
 * the resources' variables (table names, queue URLs…) name what `provisionLocal` made. The
 * owner also runs the local runtime (`startLocalRuntime`): the local SES's events, and the
 * pollers that invoke the send-batch and ses-events handlers.
 */
export async function withLocalServices<T>(
  stateDir: string,
  config: Config,
  work: (env: Record<string, string>) => Promise<T>,
): Promise<T> {
  await mkdir(stateDir, { recursive: true });
  const shared = await readLiveServicesRecord(stateDir);
  if (shared) {
    Object.assign(process.env, shared);
    return work(shared);
  }
  const lock = await acquireStateLock(stateDir);
  try {
    const aws = await startLocalAws({
      stateDir,
      sendQuota: { max24HourSend: LOCAL_MAX_24_HOUR_SEND, maxSendRate: config.sendRate },
    });
    try {
      const env = { ...aws.env, ...(await provisionLocal(aws.env)) };
      Object.assign(process.env, env);
      // The owner of the services runs Lambda's triggers too: the SES events, the send queue.
      const runtime = await startLocalRuntime({
        stateDir,
        config,
        env,
        ses: aws.ses,
        handlers: localHandlers(config, stateDir),
      });
      try {
        return await work(env);
      } finally {
        await runtime.stop();
      }
    } finally {
      await aws.stop();
    }
  } finally {
    await lock.release();
  }
}
