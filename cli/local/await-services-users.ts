import type { ProcessIdentity } from './process-identity.ts';
import { removeServicesRecord, writeServicesRecord } from './services-record.ts';
import { liveServicesUsers, removeEmptyUsersFolder } from './services-users.ts';

/** How often the owner looks whether its users have ended. */
const POLL_MS = 250;

/**
 * What the owner of a state folder's local services does once its own work is done, before
 * it stops them: it keeps them up while other live commands use them (registered by
 * `registerServicesUser`), saying so once on stderr, then withdraws its services record so
 * that no new command joins. A command that registered meanwhile is seen after the record
 * is withdrawn (see `joinOrOwnServices`): the record is then written again and the wait goes
 * on. Ctrl-C (SIGINT) or SIGTERM ends the wait at once.
 *
 * @param record what the owner recorded: its services' variables and its command
 */
export async function awaitServicesUsers(
  stateDir: string,
  record: { env: Record<string, string>; command?: string },
): Promise<void> {
  const interrupt = interruption();
  let told = false;
  try {
    for (;;) {
      let users = await liveServicesUsers(stateDir);
      while (users.length > 0 && !interrupt.happened) {
        if (!told) {
          told = true;
          process.stderr.write(`${keepingUpMessage(stateDir, users)}\n`);
        }
        await Promise.race([delay(POLL_MS), interrupt.promise]);
        users = await liveServicesUsers(stateDir);
      }
      await removeServicesRecord(stateDir);
      if (interrupt.happened) return;
      if ((await liveServicesUsers(stateDir)).length === 0) {
        await removeEmptyUsersFolder(stateDir);
        return;
      }
      await writeServicesRecord(stateDir, record.env, record.command);
    }
  } finally {
    interrupt.dispose();
  }
}

/** What the owner says while other commands keep it up. */
function keepingUpMessage(stateDir: string, users: ProcessIdentity[]): string {
  const pids = [...new Set(users.map((user) => user.pid))];
  const commands = users.length === 1 ? '1 other command' : `${users.length} other commands`;
  const which = pids.length === 1 ? `pid ${pids[0]}` : `pids ${pids.join(', ')}`;
  return (
    `Keeping the local services up for ${commands} (${which}) on ${stateDir} until they end; ` +
    'Ctrl-C stops the services now.'
  );
}

/** Resolves on the first SIGINT or SIGTERM; `dispose` gives the signals back. */
function interruption() {
  let resolve = () => {};
  const interrupt = {
    happened: false,
    promise: new Promise<void>((done) => {
      resolve = done;
    }),
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
  function onSignal() {
    interrupt.happened = true;
    resolve();
  }
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return interrupt;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
