import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freshHome, repoRoot, runCli } from '../support/run-cli.ts';

// `newsletter studio` as a user runs it, in its own process, with the real page.

const homes: string[] = [];
const children: ChildProcess[] = [];

async function home(): Promise<string> {
  const made = await freshHome();
  homes.push(made);
  return made;
}

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  }
  for (const each of homes) await rm(each, { recursive: true, force: true });
});

/** Starts `newsletter studio …`; resolves with the address it prints, or rejects if it ends first. */
async function startStudio(stateDir: string, args: string[]) {
  const child = spawn(process.execPath, [join(repoRoot, 'cli/bin.js'), 'studio', ...args], {
    cwd: repoRoot,
    env: { ...process.env, NEWSLETTER_HOME: stateDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, 'exit');
  const url = await new Promise<string>((resolve, reject) => {
    const look = () => {
      const match = /^Studio: (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(stdout);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout?.on('data', look);
    exited.then(() => reject(new Error(`studio exited: ${stdout}${stderr}`)));
  });
  return { child, url, exited, output: () => ({ stdout, stderr }) };
}

describe('newsletter studio', () => {
  it('--port 0 listens on a free port of 127.0.0.1, prints it, serves the page, and stops on Ctrl-C', async () => {
    const studio = await startStudio(await home(), ['--port', '0']);

    const page = await fetch(studio.url);
    const html = await page.text();
    const script = await fetch(new URL('/studio.js', studio.url));
    const scriptText = await script.text();
    studio.child.kill('SIGINT');
    const [code] = await studio.exited;

    expect(studio.url).not.toBe('http://127.0.0.1:0/');
    expect(page.status).toBe(200);
    expect(html).toMatch(/<meta name="studio-token" content="[A-Za-z0-9_-]{43}">/);
    expect(script.status).toBe(200);
    expect(scriptText.length).toBeGreaterThan(0);
    expect(studio.output().stdout).toMatch(/^Studio: http:\/\/127\.0\.0\.1:\d+\/\nCtrl-C stops/m);
    expect(code).toBe(0);
    expect(studio.output().stdout).toContain('Stopped.');
  });

  it('refuses NEWSLETTER_TARGET=aws with exit 1, saying it works on the local services until the editor API is deployed, and starts nothing', async () => {
    const stateDir = await home();

    const refused = await runCli(stateDir, ['studio', '--port', '0'], { NEWSLETTER_TARGET: 'aws' });

    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('newsletter studio works locally only');
    expect(refused.stderr).toContain('until the editor API is deployed on AWS (issue 14)');
    expect(refused.stdout).not.toContain('Studio:');
    expect(await readdir(stateDir)).toEqual([]);
  });

  it('--help describes the port, --open, --articles and --templates', async () => {
    const help = await runCli(await home(), ['studio', '--help']);

    expect(help.code).toBe(0);
    for (const option of ['--port <n>', '--open', '--articles <dir>', '--templates <dir>']) {
      expect(help.stdout).toContain(option);
    }
  });

  it('refuses an --articles folder that does not exist as bad usage (exit 2)', async () => {
    const stateDir = await home();

    const refused = await runCli(stateDir, ['studio', '--articles', join(stateDir, 'missing')]);

    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('no folder');
  });
});
