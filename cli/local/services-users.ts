import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rmdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  currentProcessIdentity,
  isProcessAlive,
  isProcessIdentity,
  type ProcessIdentity,
} from './process-identity.ts';

/** A command's registration as a user of another process's local services. */
export interface ServicesUser {
  /** Withdraws the registration. Calling it again does nothing. */
  end(): Promise<void>;
}

/** The folder, in the state folder, of the registrations: one file per use. */
const USERS_DIR = 'services-users';
const SUFFIX = '.json';

/**
 * Registers this process in `stateDir` as a user of the local services that another
 * process runs there, so that the owner keeps them up until the registration is withdrawn
 * (`end`) or this process has ended. One registration per call: a process may hold several.
 */
export async function registerServicesUser(stateDir: string): Promise<ServicesUser> {
  const dir = path.join(stateDir, USERS_DIR);
  const identity = currentProcessIdentity();
  const file = path.join(dir, `${identity.pid}-${randomUUID()}${SUFFIX}`);
  // Written in full under another name, then renamed: the owner never reads half a file.
  const draft = `${file}.tmp`;
  const registration = JSON.stringify({ ...identity, registeredAt: new Date().toISOString() });
  for (let attempt = 1; ; attempt++) {
    await mkdir(dir, { recursive: true });
    try {
      await writeFile(draft, registration);
      break;
    } catch (error) {
      // The owner that stopped last removes the empty folder: it may go between the two.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt === 3) throw error;
    }
  }
  await rename(draft, file);
  let ended = false;
  return {
    async end() {
      if (ended) return;
      ended = true;
      await unlink(file).catch(ignoreMissing);
    },
  };
}

/**
 * The processes registered in `stateDir` as users of its local services that still run,
 * one entry per registration. Registrations of processes that have ended (killed before
 * they could withdraw them) are removed on the way.
 */
export async function liveServicesUsers(stateDir: string): Promise<ProcessIdentity[]> {
  const dir = path.join(stateDir, USERS_DIR);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    ignoreMissing(error);
    return [];
  }
  const users: ProcessIdentity[] = [];
  for (const name of names.filter((entry) => entry.endsWith(SUFFIX))) {
    const file = path.join(dir, name);
    const user = await readRegistration(file);
    if (user === 'gone') continue;
    if (user && isProcessAlive(user)) users.push(user);
    else await unlink(file).catch(ignoreMissing);
  }
  return users;
}

/**
 * Removes the folder of the registrations of `stateDir` if none is left in it, as the owner
 * does once it stopped sharing its services.
 */
export async function removeEmptyUsersFolder(stateDir: string): Promise<void> {
  try {
    await rmdir(path.join(stateDir, USERS_DIR));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
  }
}

/** The process of a registration; undefined when the file holds none, 'gone' if removed. */
async function readRegistration(file: string): Promise<ProcessIdentity | undefined | 'gone'> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    ignoreMissing(error);
    return 'gone';
  }
  try {
    const value: unknown = JSON.parse(text);
    if (isProcessIdentity(value)) return value;
  } catch {
    // Not a registration: removed like that of a dead process.
  }
  return undefined;
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}
