import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  currentProcessIdentity,
  isProcessAlive,
  isProcessIdentity,
  type ProcessIdentity,
} from './process-identity.ts';

interface ServicesRecord extends ProcessIdentity {
  /** The AWS environment variables that reach the local services. */
  env: Record<string, string>;
  /** The command that runs them, as people know it (`newsletter send`); absent if unknown. */
  command?: string;
  recordedAt: string;
}

/** Local services that a live process runs and shares, as {@link readLiveServices} finds them. */
export interface LiveServices {
  /** The process that runs the services: the owner of the state folder. */
  owner: ProcessIdentity;
  /** The owner's command, as people know it (`newsletter send`), when it said. */
  command?: string;
  /** The variables that reach the services (endpoints, credentials, resource names). */
  env: Record<string, string>;
}

/** The file, in the state folder, of the services record. */
export const SERVICES_RECORD_FILE = 'services.json';

/**
 * Records in `stateDir` that this process runs the local services at `env` (the variables
 * from `startLocalAws` and the resources' names), so that other commands on the folder use
 * them rather than being refused. `command` names this process's command in messages to
 * other commands (`newsletter serve`). Replaces any earlier record atomically.
 */
export async function writeServicesRecord(
  stateDir: string,
  env: Record<string, string>,
  command?: string,
): Promise<void> {
  await mkdir(stateDir, { recursive: true });
  const record: ServicesRecord = {
    ...currentProcessIdentity(),
    env,
    ...(command === undefined ? {} : { command }),
    recordedAt: new Date().toISOString(),
  };
  const recordPath = path.join(stateDir, SERVICES_RECORD_FILE);
  const draftPath = `${recordPath}.${randomUUID()}.tmp`;
  await writeFile(draftPath, `${JSON.stringify(record, null, 2)}\n`);
  await rename(draftPath, recordPath);
}

/**
 * The local services that a live process runs and shares on `stateDir`: who runs them and
 * how to reach them. Undefined when there is no record, or when the process that wrote it
 * has ended (a stale record is ignored, not removed).
 */
export async function readLiveServices(stateDir: string): Promise<LiveServices | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(stateDir, SERVICES_RECORD_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isProcessIdentity(value)) return undefined;
  const { pid, startTicks, env, command } = value as ServicesRecord;
  if (!isStringRecord(env) || !isProcessAlive(value)) return undefined;
  return {
    owner: startTicks === undefined ? { pid } : { pid, startTicks },
    ...(typeof command === 'string' ? { command } : {}),
    env,
  };
}

/**
 * The environment of the local services that a live process runs and shares on
 * `stateDir`; undefined when there are none (see {@link readLiveServices}).
 */
export async function readLiveServicesRecord(
  stateDir: string,
): Promise<Record<string, string> | undefined> {
  return (await readLiveServices(stateDir))?.env;
}

/** Removes the services record of `stateDir`, if there is one. */
export async function removeServicesRecord(stateDir: string): Promise<void> {
  try {
    await unlink(path.join(stateDir, SERVICES_RECORD_FILE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((entry) => typeof entry === 'string')
  );
}
