import { mkdir } from 'node:fs/promises';
import type { Config } from '#core/common/config.ts';
import { awaitServicesUsers } from './local/await-services-users.ts';
import { joinOrOwnServices } from './local/join-or-own-services.ts';
import { startLocalRuntime } from './local/local-runtime.ts';
import { removeServicesRecord, writeServicesRecord } from './local/services-record.ts';
import { startLocalAws } from './local/start-local-aws.ts';
import type { StateLock } from './local/state-lock.ts';
import { localHandlers } from './local-handlers.ts';
import { provisionLocal } from './provision-local.ts';

/** How many messages the local SES lets through in 24 hours. */
const LOCAL_MAX_24_HOUR_SEND = 1_000_000;

/** How a command wants the local services, see {@link withLocalServices}. */
export interface LocalServicesOptions {
  /** The command, as people know it (`newsletter send`), named to other commands. */
  command?: string;
  /**
   * Run the services in this process or not at all (`newsletter serve`, which serves
   * pages from them): never use those of another process.
   */
  own?: boolean;
}

/**
 * Runs `work` against the local services of the state folder. When another live process
 * runs them (any command, not only `newsletter serve`), `work` uses them, registered as
 * one of their users for its duration. Otherwise this process becomes the owner: under an
 * exclusive lock on the folder it starts the services in-process, records them in
 * `services.json` for the other commands, and runs the local runtime (`startLocalRuntime`):
 * the local SES's events, and the pollers that invoke the send-batch and ses-events
 * handlers. Once `work` is done, the owner keeps the services up while other commands use
 * them, saying so on stderr, then stops them.
 *
 * The standard AWS variables point the adapters at the services, and the resources'
 * variables (table names, queue URLs…) name what `provisionLocal` made.
 *
 * @throws LocalServicesOwnedError with `own`, when another process runs the services
 */
export async function withLocalServices<T>(
  stateDir: string,
  config: Config,
  work: (env: Record<string, string>) => Promise<T>,
  options: LocalServicesOptions = {},
): Promise<T> {
  await mkdir(stateDir, { recursive: true });
  const access = await joinOrOwnServices(stateDir, { own: options.own });
  if (access.role === 'user') {
    try {
      Object.assign(process.env, access.env);
      return await work(access.env);
    } finally {
      await access.user.end();
    }
  }
  return ownLocalServices(stateDir, config, access.lock, work, options.command);
}

/** Starts the services under `lock`, shares them while `work` runs and after, and stops. */
async function ownLocalServices<T>(
  stateDir: string,
  config: Config,
  lock: StateLock,
  work: (env: Record<string, string>) => Promise<T>,
  command: string | undefined,
): Promise<T> {
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
        await writeServicesRecord(stateDir, env, command);
        try {
          return await work(env);
        } finally {
          // Should the wait fail, the record goes all the same: no command may join services
          // that are about to stop.
          await awaitServicesUsers(stateDir, { env, command }).finally(() =>
            removeServicesRecord(stateDir),
          );
        }
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
