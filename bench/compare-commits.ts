/**
 * Compares two commits (or a commit and this working tree), side by side and in one run: the build
 * (`npm run typecheck` and `npm run synth`), the Lambda bundles (size and cold import, from
 * `bench/bundles.bench.ts`) and the cost per recipient and of a 10-article build (from
 * `bench/render.bench.ts`). Each commit is checked out into a temporary git worktree that
 * shares this tree's `node_modules`; the two trees take turns, so that the machine's drift
 * falls on both alike. Not part of `npm run bench`: it is for a change that must not cost
 * speed, such as moving files.
 *
 *   npx tsx bench/compare-commits.ts <before> [<after>] [--rounds N] [--record]
 *
 * Without `<after>`, the working tree is measured. `--record` writes the section "Before and
 * after" of BENCHMARKS.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { machine, recordSection } from './record-section.ts';
import { median } from './stats.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { rounds: { type: 'string', default: '3' }, record: { type: 'boolean' } },
});
const [ref, afterRef] = positionals;
if (!ref) {
  console.error(
    'usage: npx tsx bench/compare-commits.ts <before> [<after>] [--rounds N] [--record]',
  );
  process.exit(2);
}
const rounds = Number(values.rounds);
const here = fileURLToPath(new URL('..', import.meta.url));

/**
 * Runs a command to its end and times it. A harness that misses one of its targets exits 1
 * after printing its figures, which are what is compared here: `figuresOnFailure` keeps them.
 */
function run(
  cwd: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  figuresOnFailure = false,
) {
  const started = performance.now();
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = performance.now() - started;
  if (result.status !== 0 && !(figuresOnFailure && result.stdout.includes('| '))) {
    throw new Error(
      `${command} ${args.join(' ')} failed in ${cwd}:\n${result.stdout}\n${result.stderr}`,
    );
  }
  return { ms, stdout: result.stdout };
}

interface Figures {
  typecheckMs: number[];
  synthMs: number[];
  build10Ms: number[];
  perRecipientUs: number[];
  bundles: Map<string, { kB: number; importMs: number[] }>;
}

/** The figures of `bench/render.bench.ts`'s Markdown: the 10-article build and per recipient. */
function readRender(stdout: string, figures: Figures): void {
  const build = stdout.match(/^\|\s*10\s*\|\s*([\d.]+)\s*\|/m);
  const perRecipient = stdout.match(/^\| fill the placeholders[^|]*\|\s*([\d.]+)\s*\|/m);
  if (!build?.[1] || !perRecipient?.[1]) throw new Error(`unexpected render output:\n${stdout}`);
  figures.build10Ms.push(Number(build[1]));
  figures.perRecipientUs.push(Number(perRecipient[1]));
}

/** The figures of `bench/bundles.bench.ts`'s Markdown: size and median import per function. */
function readBundles(stdout: string, figures: Figures): void {
  const rows = [...stdout.matchAll(/^\| `([\w-]+)` \| ([\d.]+) kB \|[^|]*\|[^|]*\| (\d+) ms/gm)];
  if (rows.length === 0) throw new Error(`unexpected bundles output:\n${stdout}`);
  for (const [, name, kB, importMs] of rows) {
    const entry = figures.bundles.get(name as string) ?? { kB: Number(kB), importMs: [] };
    entry.importMs.push(Number(importMs));
    figures.bundles.set(name as string, entry);
  }
}

/** A temporary worktree of `commit` that shares this tree's `node_modules`. */
function worktree(commit: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'newsletter-bench-'));
  run(here, 'git', ['worktree', 'add', '--detach', dir, commit]);
  symlinkSync(join(here, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

const trees = [
  { name: `before (${ref})`, dir: worktree(ref) },
  afterRef
    ? { name: `after (${afterRef})`, dir: worktree(afterRef) }
    : { name: 'after (this tree)', dir: here },
];
const figures: Figures[] = trees.map(() => ({
  typecheckMs: [],
  synthMs: [],
  build10Ms: [],
  perRecipientUs: [],
  bundles: new Map(),
}));
const load = loadavg()[0]?.toFixed(1);

try {
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [0, 1] : [1, 0];
    for (const index of order) {
      const { dir, name } = trees[index] as (typeof trees)[number];
      const into = figures[index] as Figures;
      console.error(`round ${round + 1}/${rounds}: ${name}`);
      into.typecheckMs.push(run(dir, 'npm', ['run', '--silent', 'typecheck']).ms);
      into.synthMs.push(run(dir, 'npm', ['run', '--silent', 'synth']).ms);
      readBundles(
        run(dir, 'npx', ['tsx', 'bench/bundles.bench.ts'], { BENCH_RUNS: '5' }, true).stdout,
        into,
      );
      readRender(
        run(dir, 'npx', ['tsx', 'bench/render.bench.ts'], { BENCH_RUNS: '15' }, true).stdout,
        into,
      );
    }
  }
} finally {
  for (const { dir } of trees) {
    if (dir === here) continue;
    run(here, 'git', ['worktree', 'remove', '--force', dir]);
    rmSync(dir, { recursive: true, force: true });
  }
}

const [old, now] = figures as [Figures, Figures];
const ratio = (a: number, b: number) => `${((b / a) * 100).toFixed(0)} %`;
const row = (label: string, a: number[], b: number[], unit: string, digits = 0) =>
  `| ${label} | ${median(a).toFixed(digits)} ${unit} | ${median(b).toFixed(digits)} ${unit} | ${ratio(median(a), median(b))} |`;
const names = [...new Set([...old.bundles.keys(), ...now.bundles.keys()])].sort();
const body = [
  `\`npx tsx bench/compare-commits.ts ${positionals.join(' ')} --rounds ${rounds}\`: the two trees take turns, ${rounds} rounds, medians.`,
  `Measured ${machine()}, load average ${load} at the start.`,
  '',
  `| figure | ${trees[0]?.name} | ${trees[1]?.name} | after / before |`,
  '| --- | ---: | ---: | ---: |',
  row('`npm run typecheck`', old.typecheckMs, now.typecheckMs, 'ms'),
  row('`npm run synth` (every bundle, cdk-nag)', old.synthMs, now.synthMs, 'ms'),
  row('build of a 10-article issue', old.build10Ms, now.build10Ms, 'ms', 1),
  row('per recipient (placeholders + MIME)', old.perRecipientUs, now.perRecipientUs, 'µs', 1),
  ...names.flatMap((name) => {
    const a = old.bundles.get(name);
    const b = now.bundles.get(name);
    if (!a || !b)
      return [`| \`${name}\` | ${a ? `${a.kB} kB` : '—'} | ${b ? `${b.kB} kB` : '—'} | |`];
    return [
      `| \`${name}\` bundle | ${a.kB.toFixed(1)} kB | ${b.kB.toFixed(1)} kB | ${ratio(a.kB, b.kB)} |`,
      row(`\`${name}\` cold import`, a.importMs, b.importMs, 'ms'),
    ];
  }),
].join('\n');
console.log(body);
if (values.record) recordSection('Before and after', body);
