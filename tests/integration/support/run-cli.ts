import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(repoRoot, 'cli/bin.js');

export interface CliResult {
  /**
   * The exit code; null when the process did not exit by itself (killed by a signal, or by
   * the timeout of `runCli`), so that a hang never reads as a refusal (exit 1).
   */
  code: number | null;
  /** The signal that ended the process, if one did. */
  signal: NodeJS.Signals | null;
  /** True when `runCli` killed the process because it ran past its timeout. */
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

/** Milliseconds a command may run before `runCli` kills it. */
const TIMEOUT_MS = 120_000;

/** Runs `newsletter …` as a user would, in its own process, on the state folder `home`. */
export function runCli(home: string, args: string[], env: Record<string, string> = {}) {
  return new Promise<CliResult>((resolve) => {
    const started = Date.now();
    execFile(
      process.execPath,
      [bin, ...args],
      {
        cwd: repoRoot,
        env: { ...process.env, ...env, NEWSLETTER_HOME: home },
        timeout: TIMEOUT_MS,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        const signal = error?.signal ?? null;
        // execFile kills with SIGTERM at its timeout; a process that handled SIGTERM and
        // exited by itself still ran out of time.
        const timedOut = Boolean(error?.killed) && Date.now() - started >= TIMEOUT_MS;
        resolve({ code: timedOut ? null : code, signal, timedOut, stdout, stderr });
      },
    );
  });
}

/** A new, empty state folder. */
export function freshHome(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'newsletter-test-'));
}
