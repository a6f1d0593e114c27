import { readFileSync } from 'node:fs';

/**
 * Who a process is: its pid, and where the system tells it, when it started. The start
 * time tells a live process apart from a later one that reuses the pid of a dead one.
 */
export interface ProcessIdentity {
  pid: number;
  /** Start time in clock ticks since boot (Linux `/proc/<pid>/stat`); absent elsewhere. */
  startTicks?: string;
}

/** The identity of the running process. */
export function currentProcessIdentity(): ProcessIdentity {
  const startTicks = readStartTicks(process.pid);
  return startTicks === undefined ? { pid: process.pid } : { pid: process.pid, startTicks };
}

/**
 * Whether the process that recorded `identity` still runs. A pid that lives on in another
 * process (same pid, other start time) counts as dead.
 */
export function isProcessAlive(identity: ProcessIdentity): boolean {
  try {
    process.kill(identity.pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to someone else, so it is alive.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (identity.startTicks === undefined) return true;
  const startTicks = readStartTicks(identity.pid);
  return startTicks === undefined || startTicks === identity.startTicks;
}

/** Reads whether `value` is a recorded {@link ProcessIdentity}. */
export function isProcessIdentity(value: unknown): value is ProcessIdentity {
  if (typeof value !== 'object' || value === null) return false;
  const { pid, startTicks } = value as Record<string, unknown>;
  return (
    typeof pid === 'number' &&
    Number.isInteger(pid) &&
    pid > 0 &&
    (startTicks === undefined || typeof startTicks === 'string')
  );
}

function readStartTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its end.
    const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Field 22 (starttime) is the 20th field after the name.
    return afterName[19];
  } catch {
    return undefined;
  }
}
