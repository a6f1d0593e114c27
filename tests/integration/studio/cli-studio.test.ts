import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startRemoteStack } from '../support/remote-cli.ts';
import { freshHome, repoRoot, runCli } from '../support/run-cli.ts';
import { stopServes } from '../support/serve-cli.ts';

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
async function startStudio(stateDir: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [join(repoRoot, 'cli/bin.js'), 'studio', ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env, NEWSLETTER_HOME: stateDir },
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

  it("with NEWSLETTER_TARGET=aws, serves the same page on the deployed stack's signed editor API: a draft made there names the IAM signer, and nothing starts on the editor's machine", async () => {
    const stack = await startRemoteStack();
    try {
      const imported = await stack.local([
        'import',
        join(repoRoot, 'samples/articles/midnight-museum-tour.txt'),
      ]);
      expect(imported.code, imported.stderr).toBe(0);
      const studio = await startStudio(stack.editorHome, ['--port', '0'], stack.remoteEnv);

      const html = await (await fetch(studio.url)).text();
      const token = /<meta name="studio-token" content="([^"]+)">/.exec(html)?.[1] ?? '';
      const drafted = await fetch(new URL('/api/issues', studio.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-studio-token': token },
        body: JSON.stringify({ subject: 'From the studio on the stack' }),
      });
      const draft = (await drafted.json()) as { issueId: string; timeline: { actor: string }[] };
      const onStack = await stack.local(['issues', 'show', draft.issueId, '--json']);
      const unsigned = await fetch(`${stack.base}/editor/issues`);
      studio.child.kill('SIGINT');
      const [code] = await studio.exited;

      expect(html).toContain('<meta name="studio-target" content="aws">');
      expect(drafted.status).toBe(201);
      expect(draft.timeline[0]?.actor).toBe(`iam:local/${stack.remoteEnv.AWS_ACCESS_KEY_ID}`);
      expect(JSON.parse(onStack.stdout)).toMatchObject({
        issueId: draft.issueId,
        subject: 'From the studio on the stack',
      });
      expect(unsigned.status).toBe(401);
      expect(code).toBe(0);
      expect(await readdir(stack.editorHome)).toEqual([]);
    } finally {
      await stopServes();
    }
  }, 120_000);

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
