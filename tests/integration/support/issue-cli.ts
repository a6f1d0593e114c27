import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { OutboxRecord } from '#cli/local/ses-capture-proxy.ts';
import type { IssueReport } from '#core/issues/issue-report.ts';
import { type CliResult, repoRoot, runCli } from './run-cli.ts';
import { whenFolderShows } from './when-folder-shows.ts';

/** Runs one `newsletter …` command on a state folder and resolves with how it ended. */
export type Cli = (args: string[]) => Promise<CliResult>;

/** The sample articles' ids, as `import` stores them. */
export const ARTICLES = {
  museum: 'inside-the-midnight-museum-tour-that-sold-out-in-four-minutes',
  vegetables: 'chef-tomas-okafor-s-ugly-vegetable-menu-wins-over-the-critics',
  lighthouse: 'pop-star-mara-vell-swaps-sold-out-arenas-for-a-tiny-lighthouse-cafe',
  mornings: 'the-five-minute-morning-routine-everyone-in-lisbon-is-talking-about',
} as const;

const SAMPLE_FILES = [
  'midnight-museum-tour.txt',
  'ugly-vegetable-menu.txt',
  'mara-vell-lighthouse-cafe.txt',
  'five-minute-mornings.txt',
].map((name) => join(repoRoot, 'samples/articles', name));

/** `readerN@example.com`, N from 1. */
export function reader(n: number): string {
  return `reader${n}@example.com`;
}

/** The addresses `seed` subscribes: reader1@example.com … reader<count>@example.com. */
export function readers(count: number): string[] {
  return Array.from({ length: count }, (_, i) => reader(i + 1));
}

/**
 * Fills a state folder as an editor would: the four sample articles (`import`) and `count`
 * subscribers (`subscribers import` of a CSV), named `Reader N`. Fails the test if either
 * command fails.
 */
export async function seed(home: string, cli: Cli, count: number): Promise<void> {
  const csv = join(home, 'seed-subscribers.csv');
  const rows = readers(count).map((address, i) => `${address},Reader ${i + 1}`);
  await writeFile(csv, ['email,name', ...rows].join('\n'));
  const imported = await cli(['import', ...SAMPLE_FILES]);
  expect(imported.code, imported.stderr).toBe(0);
  const added = await cli(['subscribers', 'import', csv]);
  expect(added.code, added.stderr).toBe(0);
}

/** `issues draft --articles …` with `--json`; its report. Fails the test if it fails. */
export async function draft(cli: Cli, articleIds: string[]): Promise<IssueReport> {
  const drafted = await cli(['issues', 'draft', '--articles', articleIds.join(','), '--json']);
  expect(drafted.code, drafted.stderr).toBe(0);
  return JSON.parse(drafted.stdout) as IssueReport;
}

/** `issues show ID --json`; its report. Fails the test if it fails. */
export async function show(cli: Cli, issueId: string): Promise<IssueReport> {
  const shown = await cli(['issues', 'show', issueId, '--json']);
  expect(shown.code, shown.stderr).toBe(0);
  return JSON.parse(shown.stdout) as IssueReport;
}

/** `issues list --json`. Fails the test if it fails. */
export async function list(
  cli: Cli,
): Promise<{ issueId: string; state: string; articleIds: string[] }[]> {
  const listed = await cli(['issues', 'list', '--json']);
  expect(listed.code, listed.stderr).toBe(0);
  return JSON.parse(listed.stdout);
}

/** The outbox's records (accepted messages), optionally only those of one issue. */
export async function outboxRecords(home: string, issueId?: string): Promise<OutboxRecord[]> {
  const dir = join(home, 'outbox');
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json'));
  const records: OutboxRecord[] = [];
  for (const name of names) {
    // A record is written by a rename: once listed, it is whole.
    const record = JSON.parse(await readFile(join(dir, name), 'utf8')) as OutboxRecord;
    if (issueId === undefined || record.tags.issueId === issueId) records.push(record);
  }
  return records;
}

/** Messages of the issue in the outbox, per address. */
export async function perAddress(home: string, issueId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const record of await outboxRecords(home, issueId)) {
    for (const address of record.destinations) counts[address] = (counts[address] ?? 0) + 1;
  }
  return counts;
}

/** `{ address: 1 }` for each address: what an issue sent to each of them exactly once gives. */
export function oncePer(addresses: string[]): Record<string, number> {
  return Object.fromEntries(addresses.map((address) => [address, 1]));
}

/** A command running in the background, as a user starts one in another terminal. */
export interface Background {
  child: ChildProcess;
  /** What it printed so far (stdout and stderr, in order). */
  output(): string;
  /** Resolves with how it ended once it exited and all it printed is read. */
  ended: Promise<CliResult>;
}

const started: Background[] = [];

/** Starts `newsletter …` on `home` in its own process, without waiting for it. */
export function startCli(
  home: string,
  args: string[],
  env: Record<string, string> = {},
): Background {
  const child = spawn(process.execPath, [join(repoRoot, 'cli/bin.js'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env, NEWSLETTER_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk;
    output += chunk;
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk;
    output += chunk;
  });
  const ended = once(child, 'close').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
    timedOut: false,
    stdout,
    stderr,
  }));
  const running = { child, output: () => output, ended };
  started.push(running);
  return running;
}

/** Kills (SIGKILL) every background command still running; for `afterEach`. */
export async function stopBackground(): Promise<void> {
  for (const { child, ended } of started.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await ended;
    }
  }
}

/**
 * Resolves once the outbox holds at least `count` messages of the issue; rejects after
 * `timeoutMs`, or when `gaveUp` settles first (the sending command ended).
 */
export async function whenOutboxHolds(
  home: string,
  issueId: string,
  count: number,
  options: { timeoutMs: number; gaveUp?: Promise<unknown> },
): Promise<void> {
  await mkdir(join(home, 'outbox'), { recursive: true });
  await whenFolderShows(
    join(home, 'outbox'),
    async () => (await outboxRecords(home, issueId)).length >= count,
    { what: `${count} messages of issue ${issueId} in the outbox`, ...options },
  );
}

/** Resolves once a background command has printed `text`; rejects if it ends first. */
export async function whenPrinted(running: Background, text: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let ended = false;
  void running.ended.then(() => {
    ended = true;
  });
  while (!running.output().includes(text)) {
    if (ended || Date.now() > deadline) {
      throw new Error(`never printed ${JSON.stringify(text)}; printed:\n${running.output()}`);
    }
    await sleep(50);
  }
}

/** Asks `issues show` again until `holds` says yes, or `timeoutMs` passed; the last report. */
export async function showUntil(
  cli: Cli,
  issueId: string,
  holds: (report: IssueReport) => boolean,
  timeoutMs: number,
): Promise<IssueReport> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const report = await show(cli, issueId);
    if (holds(report) || Date.now() > deadline) return report;
    await sleep(500);
  }
}

/** The count of calls to SES that `issues pause`/`cancel` said were still finishing. */
export function inFlightOf(result: CliResult): number {
  const match = /(\d+) calls? to SES still finishing/.exec(`${result.stdout}${result.stderr}`);
  return match ? Number(match[1]) : 0;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `runCli` bound to a state folder. */
export function cliOn(home: string, env: Record<string, string> = {}): Cli {
  return (args) => runCli(home, args, env);
}
