import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  currentProcessIdentity,
  isProcessAlive,
  isProcessIdentity,
  type ProcessIdentity,
} from './process-identity.ts';

/** Thrown when another live process owns the state folder's local services. */
export class StateLockedError extends Error {
  override readonly name = 'StateLockedError';

  constructor(
    readonly stateDir: string,
    /** The process that holds the state folder. */
    readonly pid: number,
  ) {
    super(
      `The state folder ${stateDir} is in use by process ${pid}, which holds its local AWS ` +
        'services and has not shared them with other commands (it may be stuck starting or ' +
        'stopping them). Wait for that command to end, or stop it, and try again.',
    );
  }
}

/** An exclusive hold on a state folder, see {@link acquireStateLock}. */
export interface StateLock {
  /** Gives the state folder up. Calling it again does nothing. */
  release(): Promise<void>;
}

interface LockRecord extends ProcessIdentity {
  /** Tells this acquisition apart from any other, also one by the same process. */
  token: string;
  acquiredAt: string;
}

/** The file, in the state folder, of its lock. */
export const STATE_LOCK_FILE = 'owner.lock';
const TAKEOVER_FILE = 'owner.lock.takeover';
const MAX_ATTEMPTS = 5;

/**
 * Takes the exclusive lock on `stateDir` (created if missing), so that one process at a
 * time runs the local services on it. A lock left by a process that no longer runs
 * (killed, crashed) is taken over.
 *
 * @throws StateLockedError while a live process, this one included, holds the lock.
 */
export async function acquireStateLock(stateDir: string): Promise<StateLock> {
  await mkdir(stateDir, { recursive: true });
  const lockPath = path.join(stateDir, STATE_LOCK_FILE);
  const record: LockRecord = {
    ...currentProcessIdentity(),
    token: randomUUID(),
    acquiredAt: new Date().toISOString(),
  };
  // The record is written in full under a private name and then linked into place: link()
  // fails if the lock exists, and no reader ever sees a half-written lock file.
  const draftPath = `${lockPath}.${record.token}`;
  await writeFile(draftPath, JSON.stringify(record));
  try {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (await tryLink(draftPath, lockPath)) return heldLock(lockPath, record.token);
      const holder = await readLockRecord(lockPath);
      if (holder && isProcessAlive(holder)) throw new StateLockedError(stateDir, holder.pid);
      await removeStaleLock(stateDir, draftPath);
    }
  } finally {
    await unlink(draftPath).catch(() => {});
  }
  throw new Error(
    `Could not take the lock on the state folder ${stateDir}: other processes kept taking it ` +
      'over at the same time. Try again.',
  );
}

/** Whether this process holds the lock on `stateDir` (see {@link acquireStateLock}). */
export async function holdsStateLock(stateDir: string): Promise<boolean> {
  const holder = await readLockRecord(path.join(stateDir, STATE_LOCK_FILE));
  const self = currentProcessIdentity();
  return holder?.pid === self.pid && holder.startTicks === self.startTicks;
}

function heldLock(lockPath: string, token: string): StateLock {
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      const holder = await readLockRecord(lockPath);
      if (holder?.token === token) await unlink(lockPath).catch(ignoreMissing);
    },
  };
}

/**
 * Removes a lock whose owner is dead. Two processes that both find the same dead lock must
 * not both remove it (the second could remove the first one's new lock), so removal happens
 * only under a second, short-lived exclusive file.
 */
async function removeStaleLock(stateDir: string, draftPath: string): Promise<void> {
  const lockPath = path.join(stateDir, STATE_LOCK_FILE);
  const takeoverPath = path.join(stateDir, TAKEOVER_FILE);
  if (!(await tryLink(draftPath, takeoverPath))) {
    // Another process is taking over right now, unless it was killed in that instant.
    const other = await readLockRecord(takeoverPath);
    if (!other || !isProcessAlive(other)) await unlink(takeoverPath).catch(ignoreMissing);
    await delay(10);
    return;
  }
  try {
    // Under the takeover file no one else removes the lock, and a dead owner cannot
    // release it: if it is still stale now, it is the same stale file we read.
    const holder = await readLockRecord(lockPath);
    if (!holder || !isProcessAlive(holder)) await unlink(lockPath).catch(ignoreMissing);
  } finally {
    await unlink(takeoverPath).catch(ignoreMissing);
  }
}

async function tryLink(from: string, to: string): Promise<boolean> {
  try {
    await link(from, to);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** The lock record in `file`; undefined if the file is gone or holds no valid record. */
async function readLockRecord(file: string): Promise<LockRecord | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    ignoreMissing(error);
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(text);
    if (isProcessIdentity(value) && typeof (value as LockRecord).token === 'string') {
      return value as LockRecord;
    }
  } catch {
    // A lock file that is not ours to read counts as stale; fall through.
  }
  return undefined;
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
