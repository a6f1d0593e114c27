import { rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { acquireStateLock, StateLockedError } from './local/state-lock.ts';

/** Another `newsletter send` is sending on this state folder. */
export class SendInProgressError extends Error {
  override name = 'SendInProgressError';
}

/** The folder of the lock that `newsletter send` holds while it sends. */
const SEND_LOCK_DIR = 'send.lock';

/**
 * Runs `work` holding the state folder's send lock: one `newsletter send` at a time per
 * state folder, since two could start two issues.
 * @throws SendInProgressError when another process holds the lock
 */
export async function withSendLock<T>(stateDir: string, work: () => Promise<T>): Promise<T> {
  const lock = await acquireSendLock(stateDir);
  try {
    return await work();
  } finally {
    await lock.release();
    await rmdir(join(stateDir, SEND_LOCK_DIR)).catch(() => {});
  }
}

async function acquireSendLock(stateDir: string) {
  try {
    return await acquireStateLock(join(stateDir, SEND_LOCK_DIR));
  } catch (error) {
    if (!(error instanceof StateLockedError)) throw error;
    throw new SendInProgressError(
      `another newsletter send (process ${error.pid}) is sending on ${stateDir}; wait for it, or follow it with \`newsletter status\``,
    );
  }
}
