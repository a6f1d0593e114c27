import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { cliOn, seed } from '../../../integration/support/issue-cli.ts';
import { freshHome, repoRoot } from '../../../integration/support/run-cli.ts';

/** A studio started as a user starts it, on its own state folder and template copy. */
export interface RunningStudio {
  /** The address it printed, e.g. `http://127.0.0.1:40123/`. */
  url: string;
  /** The state folder (`NEWSLETTER_HOME`). */
  home: string;
  /** The temporary copy of `templates/` it renders with and watches. */
  templates: string;
  /** What it printed so far. */
  output(): string;
  /** Stops it (SIGTERM), waits for it to exit, and removes its folders. */
  stop(): Promise<void>;
}

/** What a studio is started with. */
export interface StudioSetup {
  /** Subscribers `seed` adds (`readerN@example.com`); default 3. */
  subscribers?: number;
  /** More environment, e.g. `NEWSLETTER_SEND_RATE`. */
  env?: Record<string, string>;
  /** Runs on the seeded state folder before the studio starts. */
  prepare?(home: string): Promise<void>;
}

/** Milliseconds the studio may take to print its address (it builds its page, starts services). */
const START_MS = 60_000;

/**
 * Seeds a fresh state folder (the four sample articles and a few subscribers, as
 * `tests/integration/support/issue-cli.ts` does), copies `templates/` to a temporary folder,
 * and runs `node cli/bin.js studio --port 0 --templates <copy>`; resolves with the address
 * it prints on its `Studio: …` line.
 */
export async function startStudio(setup: StudioSetup = {}): Promise<RunningStudio> {
  const home = await freshHome();
  const env = setup.env ?? {};
  await seed(home, cliOn(home, env), setup.subscribers ?? 3);
  await setup.prepare?.(home);
  const templates = await mkdtemp(join(tmpdir(), 'studio-templates-'));
  await cp(join(repoRoot, 'templates'), templates, {
    recursive: true,
    filter: (source) => !source.endsWith('.ts'),
  });
  const child = spawn(
    process.execPath,
    [join(repoRoot, 'cli/bin.js'), 'studio', '--port', '0', '--templates', templates],
    {
      cwd: repoRoot,
      env: { ...process.env, ...env, NEWSLETTER_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = await printedAddress(child, () => output);
  return {
    url,
    home,
    templates,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }
      await rm(templates, { recursive: true, force: true });
      await rm(home, { recursive: true, force: true });
    },
  };
}

function printedAddress(child: ChildProcess, output: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the studio printed no address in ${START_MS} ms:\n${output()}`));
    }, START_MS);
    const look = () => {
      const match = /^Studio: (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(output());
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', look);
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`the studio exited:\n${output()}`));
    });
  });
}

/** Replaces `from` with `to` in a file of the studio's template copy, as an editor saves it. */
export async function editTemplate(
  studio: RunningStudio,
  file: string,
  from: string | RegExp,
  to: string,
): Promise<void> {
  const path = join(studio.templates, file);
  const text = await readFile(path, 'utf8');
  const edited = text.replace(from, to);
  if (edited === text) throw new Error(`${file} has no ${String(from)} to replace`);
  await writeFile(path, edited);
}

/** What the page tells tests on `window.studioPreview` (`cli/studio/page/studio-marks.ts`). */
interface PreviewMarks {
  drawn: number;
  drawnAt: number;
}

type PageGlobals = { studioPreview?: PreviewMarks } & Record<string, unknown>;

/**
 * The page's record of renders drawn. Read with a function (not a string of code): the
 * studio's Content-Security-Policy allows no `eval`, which Playwright uses for strings.
 */
export function previewMarks(page: Page): Promise<PreviewMarks> {
  return page.evaluate(
    () => (globalThis as unknown as PageGlobals).studioPreview ?? { drawn: 0, drawnAt: 0 },
  );
}

/** Waits until the page has drawn more than `count` renders of the preview. */
export async function whenDrawn(page: Page, count: number, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    (after) => ((globalThis as unknown as PageGlobals).studioPreview?.drawn ?? 0) > after,
    count,
    { timeout, polling: 50 },
  );
}

/** Opens the studio in a new 1280 × 800 page and waits for its first render of the preview. */
export async function openStudio(browser: Browser, studio: RunningStudio): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(studio.url);
  await whenDrawn(page, 0);
  return page;
}

/** The preview frame in front (the one the editor sees). */
export function frontFrame(page: Page) {
  return page.frameLocator('.frame-stage iframe:not(.frame-back)');
}
