import { spawn } from 'node:child_process';
import type { Check } from '#core/checks/check.ts';

/** How to run SpamAssassin. */
export interface SpamAssassinOptions {
  /** The command; default `spamassassin`, found on the `PATH`. */
  command?: string;
  /** Milliseconds after which the run is stopped; default 60 000. */
  timeoutMs?: number;
}

/** What SpamAssassin's report says. */
export interface SpamAssassinReport {
  score: number;
  /** The score from which SpamAssassin calls a message spam (5.0 by default). */
  required: number;
  /** Each rule that fired, with its points (negative ones count for the message). */
  rules: { name: string; points: number; description: string }[];
}

/**
 * SpamAssassin's verdict on a whole message (the RFC 5322 bytes, as `buildMessage` makes
 * them), with its local tests only (`spamassassin -L`: no DNS or network test, so it runs
 * offline) and without writing a user preferences file (`-x`). The findings: the score
 * (`spamassassin`: an `error` at or over the spam threshold, a `warning` from half of it, else
 * an `info`), then one per rule that fired (`spamassassin-<RULE>`: a `warning` from 1 point,
 * else an `info`). When the command is not installed, a single `info` says that the check was
 * left out; when it fails, a single `warning` says why.
 */
export async function spamAssassinCheck(
  message: Uint8Array,
  options: SpamAssassinOptions = {},
): Promise<Check[]> {
  const command = options.command ?? 'spamassassin';
  let output: string;
  try {
    output = await run(command, ['-L', '-t', '-x'], message, options.timeoutMs ?? 60_000);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return [
        {
          rule: 'spamassassin',
          severity: 'info',
          message:
            'SpamAssassin is not installed (no spamassassin command): the spam check was left out.',
        },
      ];
    }
    return [
      {
        rule: 'spamassassin',
        severity: 'warning',
        message: `SpamAssassin could not check the message: ${(error as Error).message}`,
      },
    ];
  }
  const report = readSpamAssassinReport(output);
  if (!report) {
    return [
      {
        rule: 'spamassassin',
        severity: 'warning',
        message: 'SpamAssassin ran but its report could not be read: the spam check was left out.',
      },
    ];
  }
  const { score, required } = report;
  const verdict: Check = {
    rule: 'spamassassin',
    severity: score >= required ? 'error' : score >= required / 2 ? 'warning' : 'info',
    message: `SpamAssassin scores the message ${score.toFixed(1)} (spam from ${required.toFixed(1)}; local tests only).`,
  };
  return [
    verdict,
    ...report.rules.map(
      ({ name, points, description }): Check => ({
        rule: `spamassassin-${name}`,
        severity: points >= 1 ? 'warning' : 'info',
        message: `${description} (${points} points).`,
      }),
    ),
  ];
}

/**
 * Reads the report that `spamassassin -t` appends to the message: the score and threshold
 * from its `X-Spam-Status` header, and each rule from the table under "Content analysis
 * details" (points, name, a description that may run onto the next lines).
 * @returns undefined when the output holds no such report
 */
export function readSpamAssassinReport(output: string): SpamAssassinReport | undefined {
  const status = /^X-Spam-Status:[^\n]*?score=(-?\d+(?:\.\d+)?)\s+required=(-?\d+(?:\.\d+)?)/m.exec(
    output,
  );
  const details = output.lastIndexOf('Content analysis details:');
  if (!status || details < 0) return undefined;
  const rules: SpamAssassinReport['rules'] = [];
  const table = output.slice(details).split(/\r?\n/);
  const start = table.findIndex((line) => /^-{3,}\s+-{3,}/.test(line));
  for (const line of start < 0 ? [] : table.slice(start + 1)) {
    const rule = /^\s*(-?\d+(?:\.\d+)?)\s+([A-Z0-9_]+)\s+(.*)$/.exec(line);
    const last = rules.at(-1);
    if (rule) {
      rules.push({
        name: rule[2] ?? '',
        points: Number(rule[1]),
        description: (rule[3] ?? '').trim(),
      });
    } else if (last && /^\s{8,}\S/.test(line)) {
      last.description = `${last.description} ${line.trim()}`;
    } else if (line.trim() === '') {
      if (rules.length > 0) break;
    } else break;
  }
  return { score: Number(status[1]), required: Number(status[2]), rules };
}

function run(
  command: string,
  args: string[],
  input: Uint8Array,
  timeoutMs: number,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve(Buffer.concat(stdout).toString('utf8'));
      else {
        const detail = Buffer.concat(stderr).toString('utf8').trim().split('\n').at(-1) ?? '';
        reject(
          new Error(
            `${command} ended with ${signal ?? `exit code ${code}`}${detail ? `: ${detail}` : ''}`,
          ),
        );
      }
    });
    // A command that is missing fails before reading; its closed input must not throw.
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}
