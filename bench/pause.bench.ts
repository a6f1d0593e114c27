/**
 * Pausing an issue while it is sent, end to end on the local services, as an editor does it
 * from a second terminal: `newsletter serve` runs the state folder's services (its SQS, the
 * pollers invoking the send-batch and ses-events handlers, the local SES writing the outbox);
 * `issues draft`, then `issues send ID --rate N` follows the send, and about `BENCH_PAUSE_AFTER`
 * seconds after the first message is in the outbox, `issues pause ID` is run beside it. Per
 * round (a fresh copy of one prepared state folder each):
 *
 * - how long `pause` took (started to its "Paused" line), and of that, how long after its write
 *   of `paused` (the timeline's entry) it waited for the senders' leases;
 * - when the issue's last SES call before the resume was (its last `acceptedAt` in the
 *   outbox), against the moment `pause` said "Paused" (negative: before), and how many
 *   messages SES accepted after that, against the calls in flight it printed;
 * - then `issues resume ID` until the issue is sent, and whether the outbox holds exactly one
 *   message per subscriber.
 *
 * Prints a Markdown section for BENCHMARKS.md ("Pausing"); `--record` also writes it there.
 *
 *   npx tsx bench/pause.bench.ts [--record]
 *   BENCH_SUBSCRIBERS=500 BENCH_RATE=50 BENCH_ROUNDS=2 npx tsx bench/pause.bench.ts
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OutboxRecord } from '#cli/local/ses-capture-proxy.ts';
import { machine, recordSection } from './record-section.ts';
import { median } from './stats.ts';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 2000);
const RATE = Number(process.env.BENCH_RATE ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** Seconds from the issue's first message in the outbox to the start of `issues pause`. */
const PAUSE_AFTER_S = Number(process.env.BENCH_PAUSE_AFTER ?? 5);
/**
 * Milliseconds from "Paused" to the outbox read that closes the paused phase (the resume
 * starts after it): past a sender lease's term and the clock skew allowed (5 s + 1 s), so
 * that a message sent late would show here rather than be mistaken for the resume's.
 */
const QUIET_MS = 8000;
const repo = fileURLToPath(new URL('..', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
}

function cli(home: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const started = performance.now();
    execFile(
      process.execPath,
      [join(repo, 'cli/bin.js'), ...args],
      { cwd: repo, env: { ...process.env, ...env, NEWSLETTER_HOME: home }, maxBuffer: 1 << 26 },
      (error, stdout, stderr) =>
        resolve({
          code: error ? Number(error.code ?? 1) : 0,
          stdout,
          stderr,
          seconds: (performance.now() - started) / 1000,
        }),
    );
  });
}

/** Fails the bench with what the command said. */
function check(run: Run, what: string): Run {
  if (run.code !== 0) {
    throw new Error(`newsletter ${what} exited ${run.code}:\n${run.stderr}${run.stdout}`);
  }
  return run;
}

/** A state folder with the sample articles and `count` subscribers (as `bench/send.bench.ts`). */
async function stateWith(count: number): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'newsletter-bench-pause-'));
  const csv = join(home, 'subscribers.csv');
  const rows = Array.from(
    { length: count },
    (_, i) => `reader${i + 1}@example.com,Reader ${i + 1}`,
  );
  await writeFile(csv, ['email,name', ...rows].join('\n'));
  const samples = (await readdir(join(repo, 'samples/articles')))
    .filter((name) => /\.(txt|json)$/.test(name))
    .map((name) => join(repo, 'samples/articles', name));
  check(await cli(home, ['import', ...samples]), 'import');
  check(await cli(home, ['subscribers', 'import', csv]), 'subscribers import');
  return home;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  return typeof address === 'object' && address ? address.port : 0;
}

/**
 * `newsletter serve` on the folder (as tests/integration/support/serve-cli.ts starts it): it
 * runs the local services, and every other command on the folder shares them.
 */
async function startServe(home: string): Promise<ChildProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(repo, 'cli/bin.js'), 'serve', '--port', `${port}`], {
    cwd: repo,
    env: {
      ...process.env,
      NEWSLETTER_HOME: home,
      NEWSLETTER_PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Other newsletter commands')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`serve exited: ${output}`));
    });
  });
  return child;
}

async function stopServe(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

/** A command running beside the bench, with the moment (ms since the epoch) each line came. */
function started(home: string, args: string[]) {
  const child = spawn(process.execPath, [join(repo, 'cli/bin.js'), ...args], {
    cwd: repo,
    env: { ...process.env, NEWSLETTER_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const at = Date.now();
  const lines: { at: number; text: string }[] = [];
  let stdout = '';
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    const now = Date.now();
    pending += chunk.toString();
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    for (const text of parts) lines.push({ at: now, text });
  });
  const exit = new Promise<{ code: number; at: number; stdout: string; stderr: string }>(
    (resolve) =>
      child.once('close', (code) =>
        resolve({
          code: code ?? 1,
          at: Date.now(),
          stdout,
          stderr: lines.map((line) => line.text).join('\n') + pending,
        }),
      ),
  );
  return { at, lines, exit };
}

/** The outbox records of one issue: accepted when, and to whom. */
async function outboxOf(home: string, issueId: string) {
  const dir = join(home, 'outbox');
  const names = (await readdir(dir)).filter((name) => name.endsWith('.json'));
  const records: { at: number; to: string[] }[] = [];
  for (const name of names) {
    let record: OutboxRecord;
    try {
      record = JSON.parse(await readFile(join(dir, name), 'utf8')) as OutboxRecord;
    } catch {
      continue; // Being written: the next read has it.
    }
    if (record.tags.issueId === issueId) {
      records.push({ at: Date.parse(record.acceptedAt), to: record.destinations });
    }
  }
  return records.sort((a, b) => a.at - b.at);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with the first message's `acceptedAt` once the issue has one in the outbox. */
async function firstMessage(home: string, issueId: string, timeoutMs: number): Promise<number> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const records = await outboxOf(home, issueId);
    if (records.length > 0) return records[0]?.at as number;
    if (Date.now() > until) throw new Error(`no message of issue ${issueId} in the outbox`);
    await sleep(50);
  }
}

interface Round {
  /** `issues pause`: started to its "Paused" line, ms. */
  pauseMs: number;
  /** Its write of `paused` (the timeline's entry) to its "Paused" line: the wait for leases, ms. */
  waitMs: number;
  /** Started to its write of `paused` (process start, joining serve's services), ms. */
  startMs: number;
  /** Messages per second from the issue's first message until `pause` was started. */
  paceBefore: number;
  /** Calls to SES still finishing, as `pause` printed. */
  inFlight: number;
  /** The issue's first message to the write of `paused`, s. */
  pausedAfterS: number;
  /** Messages accepted after the write of `paused`. */
  afterWrite: number;
  /** The last message before the resume minus "Paused", ms (negative: before). */
  lastMinusReturnMs: number;
  /** Messages accepted after "Paused". */
  afterReturn: number;
  /** Messages accepted before the resume. */
  beforeResume: number;
  /** What the issue's ledger said once paused (`issues show`): sent, and not done. */
  shownSent: number;
  shownQueued: number;
  /** `issues resume` to the issue sent, s. */
  resumeS: number;
  /** The outbox once sent: messages, recipients, recipients mailed more than once. */
  messages: number;
  recipients: number;
  twice: number;
  /** The issue's final state and sent count, as `issues resume --json` printed them. */
  state: string;
  sent: number;
  /** Whether `issues send` ended on the pause, saying so (exit code 0). */
  followerEnded: boolean;
}

async function round(base: string): Promise<Round> {
  const home = await mkdtemp(join(tmpdir(), 'newsletter-bench-pause-round-'));
  await cp(base, home, { recursive: true });
  const serve = await startServe(home);
  try {
    const draft = JSON.parse(check(await cli(home, ['issues', 'draft', '--json']), 'draft').stdout);
    const issueId: string = draft.issueId;
    const send = started(home, ['issues', 'send', issueId, '--rate', `${RATE}`, '--json']);
    const first = await firstMessage(home, issueId, 60_000);
    await sleep(Math.max(0, first + PAUSE_AFTER_S * 1000 - Date.now()));

    const pause = started(home, ['issues', 'pause', issueId, '--json']);
    const paused = await pause.exit;
    if (paused.code !== 0) throw new Error(`newsletter issues pause failed:\n${paused.stderr}`);
    const said = pause.lines.find((line) => line.text.startsWith('Paused issue'));
    if (!said) throw new Error(`issues pause said no "Paused":\n${paused.stderr}`);
    const inFlight = Number(/(\d+) calls? to SES/.exec(said.text)?.[1] ?? Number.NaN);
    const report = JSON.parse(paused.stdout);
    const entry = [...report.timeline].reverse().find((one) => one.action === 'pause');
    const wroteAt = Date.parse(entry.at);
    const follower = await send.exit;

    await sleep(Math.max(0, said.at + QUIET_MS - Date.now()));
    const before = await outboxOf(home, issueId);
    const shown = JSON.parse(
      check(await cli(home, ['issues', 'show', issueId, '--json']), 'issues show').stdout,
    );
    const last = before.at(-1)?.at ?? Number.NaN;

    const resume = check(await cli(home, ['issues', 'resume', issueId, '--json']), 'resume');
    const done = JSON.parse(resume.stdout);
    const all = await outboxOf(home, issueId);
    const perRecipient = new Map<string, number>();
    for (const record of all) {
      for (const to of record.to) perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1);
    }
    return {
      pauseMs: said.at - pause.at,
      waitMs: said.at - wroteAt,
      startMs: wroteAt - pause.at,
      paceBefore:
        before.filter((record) => record.at < pause.at).length / ((pause.at - first) / 1000),
      inFlight,
      pausedAfterS: (wroteAt - first) / 1000,
      afterWrite: before.filter((record) => record.at > wroteAt).length,
      lastMinusReturnMs: last - said.at,
      afterReturn: before.filter((record) => record.at > said.at).length,
      beforeResume: before.length,
      shownSent: shown.sent,
      shownQueued: shown.queued,
      resumeS: resume.seconds,
      messages: all.length,
      recipients: perRecipient.size,
      twice: [...perRecipient.values()].filter((count) => count > 1).length,
      state: done.state,
      sent: done.sent,
      followerEnded: follower.code === 0 && /was paused by/.test(follower.stderr),
    };
  } finally {
    await stopServe(serve);
    await rm(home, { recursive: true, force: true });
  }
}

// --- measured -------------------------------------------------------------------------

const load = loadavg()[0] ?? 0;
const base = await stateWith(SUBSCRIBERS);
const rounds: Round[] = [];
try {
  for (let index = 0; index < ROUNDS; index++) {
    const one = await round(base);
    rounds.push(one);
    process.stderr.write(`round ${index + 1}: ${JSON.stringify(one)}\n`);
  }
} finally {
  await rm(base, { recursive: true, force: true });
}

const fmt = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const signed = (value: number) => (value > 0 ? `+${fmt(value)}` : fmt(value));
/** Median and spread of one figure over the rounds. */
function figure(pick: (one: Round) => number, show: (value: number) => string = (v) => fmt(v)) {
  const values = rounds.map(pick);
  return `${show(median(values))} (${show(Math.min(...values))} to ${show(Math.max(...values))})`;
}

const exactlyOnce = rounds.filter(
  (one) =>
    one.state === 'sent' &&
    one.sent === SUBSCRIBERS &&
    one.messages === SUBSCRIBERS &&
    one.recipients === SUBSCRIBERS &&
    one.twice === 0,
).length;
const withinInFlight = rounds.filter((one) => one.afterReturn <= one.inFlight).length;
const noneAfter = rounds.filter((one) => one.afterReturn === 0).length;
const followed = rounds.filter((one) => one.followerEnded).length;

const rows = rounds.map(
  (one, index) =>
    `| ${index + 1} | ${fmt(one.paceBefore, 1)} | ${fmt(one.pausedAfterS, 1)} | ${fmt(one.pauseMs)} | ${fmt(one.startMs)} | ` +
    `${fmt(one.waitMs)} | ${one.inFlight} | ${one.afterWrite} | ${signed(one.lastMinusReturnMs)} | ` +
    `${one.afterReturn} | ${fmt(one.beforeResume)} | ${fmt(one.resumeS, 1)} | ` +
    `${fmt(one.messages)} / ${fmt(one.recipients)} / ${one.twice} |`,
);

const resumeFigure = figure(
  (one) => one.resumeS,
  (v) => fmt(v, 1),
);
const section = `Measured ${machine()}, load average ${fmt(load, 1)} at the start, by \`bench/pause.bench.ts\`: ${ROUNDS} rounds, each on a fresh copy of a state folder with the sample articles and ${fmt(SUBSCRIBERS)} subscribers.
\`newsletter serve\` runs the folder's local services (SQS, the pollers invoking the send-batch and
ses-events handlers, the SES writing the outbox) and the commands share them, as from a second
terminal: \`issues draft\`, \`issues send ID --rate ${RATE}\` following the send, and
${PAUSE_AFTER_S} s after the issue's first message is in the outbox, \`issues pause ID\`. ${fmt(QUIET_MS / 1000)} s after
\`pause\` said "Paused" the outbox is read (the paused phase), then \`issues resume ID\` runs until
the issue is sent and the outbox is read again.

| round | pace before /s | pause at s | \`pause\` ms | of which start ms | of which write + wait ms | in flight (printed) | messages after the pause's time | last SES call − "Paused" ms | messages after "Paused" | messages before resume | resume to sent s | messages / recipients / twice |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}

Medians (spread) over the ${ROUNDS} rounds:

- \`issues pause\` took ${figure((one) => one.pauseMs)} ms from its start to its "Paused" line: ${figure((one) => one.startMs)} ms to start, join serve's services and take the time of the pause (its timeline entry), then ${figure((one) => one.waitMs)} ms to write \`paused\` and wait until no sender could claim any more (the senders' leases: terms of 5 s, claims under a term until 2 s before its end, a clock skew of 1 s allowed).
- The issue's last SES call came ${figure((one) => one.lastMinusReturnMs, signed)} ms after "Paused" (negative: before). SES accepted ${figure((one) => one.afterReturn)} messages after "Paused", with ${figure((one) => one.inFlight)} calls in flight printed: within the printed count in ${withinInFlight} of ${ROUNDS} rounds, none at all in ${noneAfter} of ${ROUNDS}.
- Between the time of the pause and "Paused", senders under a term begun before the write still claimed and sent, as the design allows: ${figure((one) => one.afterWrite)} messages (at ${RATE}/s, about ${fmt(median(rounds.map((one) => one.afterWrite)) / RATE, 1)} s of sending).
- Before \`pause\` was started, the issue was sent at ${figure(
  (one) => one.paceBefore,
  (v) => fmt(v, 1),
)} messages/s (its first message to the start of \`pause\`; the cap is ${RATE}/s).
- \`issues send\`, following the issue, ended on the pause and said who paused it in ${followed} of ${ROUNDS} rounds.
- Resumed, the issue was sent in ${resumeFigure} s; exactly one message per subscriber (${fmt(SUBSCRIBERS)} messages to ${fmt(SUBSCRIBERS)} recipients, none twice, the issue \`sent\` with ${fmt(SUBSCRIBERS)} sent): ${exactlyOnce === ROUNDS ? 'yes' : 'NO'}, in ${exactlyOnce} of ${ROUNDS} rounds.

Times are from one clock: the outbox's \`acceptedAt\` (the local SES), the pause's timeline entry
(the \`pause\` process reads the clock just before it writes \`paused\`; "pause at" counts from the
issue's first message to it) and the moment the bench read the "Paused" line, which \`pause\`
prints as soon as it has waited.
`;

process.stdout.write(`## Pausing\n\n${section}\n`);
if (process.argv.includes('--record')) recordSection('Pausing', section);
if (exactlyOnce !== ROUNDS || withinInFlight !== ROUNDS) process.exitCode = 1;
