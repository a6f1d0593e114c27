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
  recordedAt: string;
}

const RECORD_FILE = 'services.json';

/**
 * Records in `stateDir` that this process serves the local services at `env` (the
 * variables from `startLocalAws`), so that other commands on the folder use them.
 * Replaces any earlier record atomically.
 */
export async function writeServicesRecord(
  stateDir: string,
  env: Record<string, string>,
): Promise<void> {
  await mkdir(stateDir, { recursive: true });
  const record: ServicesRecord = {
    ...currentProcessIdentity(),
    env,
    recordedAt: new Date().toISOString(),
  };
  const recordPath = path.join(stateDir, RECORD_FILE);
  const draftPath = `${recordPath}.${randomUUID()}.tmp`;
  await writeFile(draftPath, `${JSON.stringify(record, null, 2)}\n`);
  await rename(draftPath, recordPath);
}

/**
 * The environment of the local services that a live `newsletter serve` runs on
 * `stateDir`; undefined when there is no record, or when the process that wrote it has
 * ended (a stale record is ignored, not removed).
 */
export async function readLiveServicesRecord(
  stateDir: string,
): Promise<Record<string, string> | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(stateDir, RECORD_FILE), 'utf8');
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
  if (!isProcessIdentity(value) || !isStringRecord((value as ServicesRecord).env)) {
    return undefined;
  }
  return isProcessAlive(value) ? (value as ServicesRecord).env : undefined;
}

/** Removes the services record of `stateDir`, if there is one. */
export async function removeServicesRecord(stateDir: string): Promise<void> {
  try {
    await unlink(path.join(stateDir, RECORD_FILE));
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
