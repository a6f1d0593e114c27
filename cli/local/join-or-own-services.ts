import { type FSWatcher, watch } from 'node:fs';
import { LocalServicesOwnedError } from './local-services-owned-error.ts';
import { readLiveServices, SERVICES_RECORD_FILE } from './services-record.ts';
import { registerServicesUser, type ServicesUser } from './services-users.ts';
import {
  acquireStateLock,
  STATE_LOCK_FILE,
  type StateLock,
  StateLockedError,
} from './state-lock.ts';

/** How a command gets at a state folder's local services, see {@link joinOrOwnServices}. */
export type ServicesAccess =
  /** Another process runs them: use `env`, and `user.end()` when done. */
  | { role: 'user'; env: Record<string, string>; user: ServicesUser }
  /** No one does: this process holds the folder's lock and is to start them. */
  | { role: 'owner'; lock: StateLock };

/**
 * How long a command waits for a live holder of the state folder's lock to share its
 * services (it is starting them) or to give the folder up (it is stopping them).
 */
const WAIT_FOR_OWNER_MS = 20_000;
/** After this long waiting, the command says what it waits for. */
const TELL_AFTER_MS = 3_000;
const POLL_MS = 100;

/**
 * Finds out whether this command uses the local services that another process runs on
 * `stateDir`, registered as one of their users, or owns the folder and starts them.
 *
 * Two commands started at once race for the lock: the loser waits for the winner's services
 * record rather than failing. A lock left by a dead process is taken over.
 *
 * @param options.own set for a command that must run the services itself (`serve`)
 * @throws LocalServicesOwnedError with `own`, when another live process runs the services
 * @throws StateLockedError when a live process holds the folder for longer than
 * {@link WAIT_FOR_OWNER_MS} without sharing its services
 */
export async function joinOrOwnServices(
  stateDir: string,
  options: { own?: boolean } = {},
): Promise<ServicesAccess> {
  let changes: ReturnType<typeof watchOwnership> | undefined;
  let holder: { pid: number; since: number } | undefined;
  let told = false;
  try {
    for (;;) {
      const shared = await readLiveServices(stateDir);
      if (shared && options.own) throw new LocalServicesOwnedError(stateDir, shared);
      if (shared) {
        const joined = await join(stateDir);
        if (joined) return joined;
      }
      try {
        return { role: 'owner', lock: await acquireStateLock(stateDir) };
      } catch (error) {
        if (!(error instanceof StateLockedError)) throw error;
        // The wait is for one holder: commands that own the folder in turn each get it whole.
        if (holder?.pid !== error.pid) holder = { pid: error.pid, since: Date.now() };
        const waited = Date.now() - holder.since;
        if (waited >= WAIT_FOR_OWNER_MS) throw error;
        if (!told && waited >= TELL_AFTER_MS) {
          told = true;
          process.stderr.write(
            `Waiting for process ${error.pid}, which is starting or stopping the local services of ${stateDir}…\n`,
          );
        }
      }
      changes ??= watchOwnership(stateDir);
      await changes.next(POLL_MS);
    }
  } finally {
    changes?.close();
  }
}

/**
 * Wakes a waiting command as soon as the services record or the lock of `stateDir` changes,
 * or after `ms` at the latest (where the folder cannot be watched, on time alone).
 */
function watchOwnership(stateDir: string) {
  // A change seen while no one waits counts for the next wait.
  let changed = false;
  let wake = () => {
    changed = true;
  };
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(stateDir, (_event, name) => {
      if (name === SERVICES_RECORD_FILE || name === STATE_LOCK_FILE) wake();
    });
    watcher.on('error', () => watcher?.close());
  } catch {
    watcher = undefined;
  }
  return {
    next(ms: number): Promise<void> {
      if (changed) {
        changed = false;
        return Promise.resolve();
      }
      return new Promise((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wake = () => {
            changed = true;
          };
          resolve();
        }
        wake = done;
      });
    },
    close(): void {
      watcher?.close();
    },
  };
}

/**
 * Registers as a user of the shared services, then reads the record again. The owner
 * withdraws its record before it looks for users a last time, so a record still there
 * after the registration means that the owner will see it and wait; a record gone means
 * the owner may be stopping, and the registration is withdrawn.
 */
async function join(stateDir: string): Promise<ServicesAccess | undefined> {
  const user = await registerServicesUser(stateDir);
  try {
    const shared = await readLiveServices(stateDir);
    if (shared) return { role: 'user', env: shared.env, user };
  } catch (error) {
    await user.end();
    throw error;
  }
  await user.end();
  return undefined;
}
