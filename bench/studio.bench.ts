/**
 * The studio's live reload, end to end, as an editor meets it: `newsletter studio` on a state
 * folder with ten articles (the four samples, and six of them again under other ids), its
 * page open in Chromium (Debian's, headless) on the next issue; a template of the studio's
 * copy is saved, and the time is taken from the write to the new render drawn in the page's
 * frame (`window.studioPreview.drawnAt`, which the page sets when the frame has loaded the
 * render and is in front). The save changes the masthead's text, and each round checks that
 * the render drawn shows it. Also, from the page's own marks, where the time went: to the
 * `templates-changed` event (the server's watcher, its quiet time, reading the templates), to
 * the preview's answer (the server plans, renders and checks the issue), to the draw (the
 * frame parses and loads the HTML; its photos, on `publicBaseUrl`, are refused at once as
 * nothing serves them here).
 *
 * Prints a Markdown section for BENCHMARKS.md ("Studio live reload"); `--record` also writes
 * it there.
 *
 *   npx tsx bench/studio.bench.ts [--record]
 *   BENCH_SAVES=40 npx tsx bench/studio.bench.ts
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import type { PreviewMarks } from '#cli/studio/page/studio-marks.ts';
import { machine, recordSection } from './record-section.ts';
import { median } from './stats.ts';

const SAVES = Math.max(20, Number(process.env.BENCH_SAVES ?? 25));
const WARMUP = 3;
/** Milliseconds between a render drawn and the next save, so that no two saves coalesce. */
const PAUSE_MS = 250;
const TARGET_MS = 300;
const HEADER = 'partials/mjml-header.hbs';
const repo = fileURLToPath(new URL('..', import.meta.url));

const SAMPLES = [
  'midnight-museum-tour.txt',
  'ugly-vegetable-menu.txt',
  'mara-vell-lighthouse-cafe.txt',
  'five-minute-mornings.txt',
];

function cli(home: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [join(repo, 'cli/bin.js'), ...args],
      { cwd: repo, env: { ...process.env, NEWSLETTER_HOME: home } },
      (error, stdout, stderr) =>
        error ? reject(new Error(`newsletter ${args.join(' ')}: ${stderr}${stdout}`)) : resolve(),
    );
  });
}

/** A state folder with ten articles: the samples, then six of them again under new ids. */
async function tenArticles(): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'newsletter-bench-studio-'));
  const samples = SAMPLES.map((name) => join(repo, 'samples/articles', name));
  await cli(home, ['import', ...samples]);
  for (let copy = 1; copy <= 6; copy++) {
    const sample = samples[(copy - 1) % samples.length] as string;
    await cli(home, ['import', '--id', `bench-copy-${copy}`, sample]);
  }
  return home;
}

async function startStudio(home: string, templates: string) {
  const child = spawn(
    process.execPath,
    [join(repo, 'cli/bin.js'), 'studio', '--port', '0', '--templates', templates],
    {
      cwd: repo,
      env: { ...process.env, NEWSLETTER_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no studio address:\n${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /^Studio: (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`the studio exited:\n${output}`));
    });
  });
  return { child, url };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

function marks(page: Page): Promise<PreviewMarks> {
  return page.evaluate(
    () =>
      (globalThis as unknown as { studioPreview?: PreviewMarks }).studioPreview ?? {
        drawn: 0,
        drawnAt: 0,
      },
  );
}

async function drawnAfter(page: Page, count: number): Promise<void> {
  await page.waitForFunction(
    (after) =>
      ((globalThis as unknown as { studioPreview?: PreviewMarks }).studioPreview?.drawn ?? 0) >
      after,
    count,
    { timeout: 30_000, polling: 'raf' },
  );
}

/** The value at the nearest rank of `fraction` (0.9: the 90th percentile). */
function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}

const loadAtStart = loadavg()[0] ?? Number.NaN;
const home = await tenArticles();
const templates = await mkdtemp(join(tmpdir(), 'newsletter-bench-templates-'));
await cp(join(repo, 'templates'), templates, {
  recursive: true,
  filter: (source) => !source.endsWith('.ts'),
});
const headerFile = join(templates, HEADER);
const header = await readFile(headerFile, 'utf8');
if (!header.includes('{{listName}}</h1>')) throw new Error(`${HEADER} has no {{listName}}</h1>`);

const studio = await startStudio(home, templates);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});
const rounds: {
  total: number;
  toEvent: number;
  toAnswer: number;
  toWrite: number;
  toDraw: number;
}[] = [];
let articles = 0;
let htmlBytes = 0;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(studio.url);
  await drawnAfter(page, 0);
  articles = await page.locator('.article-list .article-headline').count();
  htmlBytes = Number(
    /\(([\d,]+) bytes\)/
      .exec((await page.locator('#size-figures').textContent()) ?? '')?.[1]
      ?.replaceAll(',', '') ?? Number.NaN,
  );
  for (let save = 1; save <= WARMUP + SAVES; save++) {
    const before = await marks(page);
    const label = `Bench ${save}`;
    const savedAt = Date.now();
    await writeFile(headerFile, header.replace('{{listName}}</h1>', `${label}</h1>`));
    await drawnAfter(page, before.drawn);
    const after = await marks(page);
    const shown = await page
      .frameLocator('.frame-stage iframe:not(.frame-back)')
      .getByRole('heading', { name: label, exact: true })
      .count();
    if (shown !== 1) throw new Error(`save ${save}: the render drawn does not show "${label}"`);
    if (save > WARMUP) {
      rounds.push({
        total: after.drawnAt - savedAt,
        toEvent: (after.eventAt ?? Number.NaN) - savedAt,
        toAnswer: (after.answeredAt ?? Number.NaN) - (after.eventAt ?? Number.NaN),
        toWrite: (after.writtenAt ?? Number.NaN) - (after.answeredAt ?? Number.NaN),
        toDraw: after.drawnAt - (after.writtenAt ?? Number.NaN),
      });
    }
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
  }
} finally {
  await browser.close();
  await stop(studio.child);
  await rm(templates, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
}

const figure = (values: number[]) => Math.round(median(values));
const totals = rounds.map((round) => round.total);
const row = (what: string, values: number[]) =>
  `| ${what} | ${figure(values)} | ${Math.round(percentile(values, 0.9))} |`;
const met = median(totals) <= TARGET_MS;
const steps: [string, number[]][] = [
  ['save → drawn (total)', totals],
  ['save → `templates-changed` event in the page', rounds.map((r) => r.toEvent)],
  ['event → preview answer (plan, render, checks)', rounds.map((r) => r.toAnswer)],
  [
    'answer → in the frame (panels drawn, HTML parsed into the frame)',
    rounds.map((r) => r.toWrite),
  ],
  ['in the frame → drawn (scrolled, brought to the front)', rounds.map((r) => r.toDraw)],
];
const section = `
Measured ${machine()}, load average ${loadAtStart.toFixed(1)} at the start, Chromium (Debian, headless) by \`bench/studio.bench.ts\`: ${SAVES} saves of \`${HEADER}\` after ${WARMUP} warm-up saves, each ${PAUSE_MS} ms after the previous render was drawn; the next issue of ${articles} articles (${htmlBytes.toLocaleString('en')} bytes of HTML), 600 px, as the page opens.

From the write of the template to the new render drawn in the page's frame (parsed, scrolled and in front), and where the time went by the page's own marks:

| step | median ms | p90 ms |
| --- | ---: | ---: |
${steps.map(([what, values]) => row(what, values)).join('\n')}

Fastest ${Math.round(Math.min(...totals))} ms, slowest ${Math.round(Math.max(...totals))} ms. The photos of the preview are on \`publicBaseUrl\` (127.0.0.1:8787), which nothing serves during this run; the page brings a render to the front once it is parsed, without waiting for photos. When the page still wrote every render through \`srcdoc\` (a navigation of the frame), the last step took 90 ms at the median and the whole 342 ms (measured the same day); it now takes the new HTML into the frame's document in place.

Target: median ≤ ${TARGET_MS} ms: ${figure(totals)} ms, ${met ? 'met' : 'not met'}.
`;

process.stdout.write(section);
if (process.argv.includes('--record')) {
  recordSection('Studio live reload', section);
  process.stdout.write('\nRecorded in BENCHMARKS.md.\n');
}
