import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(repoRoot, 'cli/bin.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `newsletter …` as a user would, in its own process, on the state folder `home`. */
export function runCli(home: string, args: string[], env: Record<string, string> = {}) {
  return new Promise<CliResult>((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd: repoRoot, env: { ...process.env, ...env, NEWSLETTER_HOME: home }, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A new, empty state folder. */
export function freshHome(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'newsletter-test-'));
}
