import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SCHEDULE_RECORD_FILE, type ScheduleRecord } from '#cli/local/schedule-record.ts';
import { freshHome, repoRoot, runCli } from './support/run-cli.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

let child: ChildProcess | undefined;

afterEach(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
  child = undefined;
});

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  return typeof address === 'object' && address ? address.port : 0;
}

/** `newsletter serve` as a user starts it, with these variables; resolves once it serves. */
async function startServe(home: string, env: Record<string, string>) {
  const port = await freePort();
  child = spawn(process.execPath, [join(repoRoot, 'cli/bin.js'), 'serve', '--port', String(port)], {
    cwd: repoRoot,
    env: {
      ...process.env,
      ...env,
      NEWSLETTER_PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      NEWSLETTER_HOME: home,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout?.on('data', (chunk: Buffer) => {
    output.stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output.stderr += chunk.toString();
  });
  await waitFor(() => output.stdout.includes('Other newsletter commands'), 30_000, output);
  return output;
}

async function waitFor(done: () => boolean | Promise<boolean>, ms: number, about: unknown) {
  const until = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > until) throw new Error(`gave up waiting: ${JSON.stringify(about)}`);
    if (child?.exitCode !== null) throw new Error(`serve exited: ${JSON.stringify(about)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function handlersLog(home: string): Promise<Array<Record<string, unknown>>> {
  try {
    const text = await readFile(join(home, 'handlers.log'), 'utf8');
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
  } catch {
    return [];
  }
}

describe('the schedule in newsletter serve', () => {
  it('tells the runs missed while it was down, then invokes the scheduled-issue handler at each run', async () => {
    const home = await freshHome();
    // The last run accounted for was 2.5 days ago, of a daily rate counted from 3 days and an
    // hour ago: the runs of 2 days and 1 day and 1 hour ago were missed, the next is in 23 hours.
    const now = Date.now();
    const previous: ScheduleRecord = {
      expression: 'rate(1 day)',
      timeZone: 'UTC',
      anchor: new Date(now - 3 * DAY_MS - HOUR_MS).toISOString(),
      accountedThrough: new Date(now - 2.5 * DAY_MS).toISOString(),
    };
    await writeFile(join(home, SCHEDULE_RECORD_FILE), JSON.stringify(previous));

    // Every minute, so that a run comes within one.
    const output = await startServe(home, {
      NEWSLETTER_SCHEDULE_EXPRESSION: 'cron(* * * * ? *)',
      NEWSLETTER_SCHEDULE_TIME_ZONE: 'Europe/Paris',
    });

    expect(output.stderr).toContain(
      'newsletter: the schedule (rate(1 day)) missed 3 runs while serve was down',
    );
    expect(output.stdout).toMatch(/Schedule cron\(\* \* \* \* \? \*\): next run \d{4}-\d\d-\d\d/);

    let lines: Array<Record<string, unknown>> = [];
    await waitFor(
      async () => {
        lines = await handlersLog(home);
        return lines.some((line) => line.run === 'schedule');
      },
      70_000,
      output,
    );

    const run = lines.find((line) => line.message === 'scheduled run');
    expect(run).toMatchObject({ function: 'scheduled-issue' });
    const scheduledAt = Date.parse(String(run?.scheduledAt));
    expect(scheduledAt % 60_000).toBe(0);
    expect(Date.parse(String(run?.at))).toBeGreaterThanOrEqual(scheduledAt);
    // The handler's own line: with nobody subscribed it starts nothing, and says why.
    const outcome = lines.find((line) => line.run === 'schedule');
    expect(outcome).toMatchObject({ kind: 'nothing', reason: 'no-active-subscriber' });
    expect(lines.filter((line) => line.level === 'error')).toEqual([]);

    const record = JSON.parse(await readFile(join(home, SCHEDULE_RECORD_FILE), 'utf8'));
    expect(record).toMatchObject({
      expression: 'cron(* * * * ? *)',
      timeZone: 'Europe/Paris',
      lastRunAt: new Date(scheduledAt).toISOString(),
    });
  }, 80_000);

  it('newsletter schedule --json lists the next five runs in both zones', async () => {
    const home = await freshHome();
    const result = await runCli(home, ['schedule', '--json'], {
      NEWSLETTER_SCHEDULE_EXPRESSION: 'cron(0 9 ? * 2#1 *)',
      NEWSLETTER_SCHEDULE_TIME_ZONE: 'Europe/Paris',
    });

    expect(result.code).toBe(0);
    const entries = JSON.parse(result.stdout) as Array<Record<string, string>>;
    expect(entries).toHaveLength(5);
    for (const entry of entries) {
      expect(entry.kind).toBe('recurring');
      expect(Date.parse(entry.at ?? '')).toBe(Date.parse(entry.atLocal ?? ''));
      expect(entry.atLocal).toMatch(/T09:00:00\+0[12]:00$/);
      // The first Monday: a Monday within the first seven days.
      const day = Number(entry.atLocal?.slice(8, 10));
      expect(day).toBeLessThanOrEqual(7);
      expect(new Date(entry.at ?? '').getUTCDay()).toBe(1);
    }
  });

  it('newsletter schedule refuses an expression EventBridge would refuse, exit 1', async () => {
    const home = await freshHome();
    const result = await runCli(home, ['schedule'], {
      NEWSLETTER_SCHEDULE_EXPRESSION: 'cron(0 9 ? * 0 *)',
    });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('day-of-week: 0 is not from 1 to 7');
  });
});
