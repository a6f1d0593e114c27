import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parse } from 'node-html-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { freshHome, repoRoot, runCli } from './support/run-cli.ts';

const samples = join(repoRoot, 'samples/articles');
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  }
});

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  return typeof address === 'object' && address ? address.port : 0;
}

/** `newsletter serve` on a free port, as a user starts it; resolves once it listens. */
async function serve(home: string) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = { NEWSLETTER_PUBLIC_BASE_URL: base };
  const child = spawn(
    process.execPath,
    [join(repoRoot, 'cli/bin.js'), 'serve', '--port', String(port)],
    {
      cwd: repoRoot,
      env: { ...process.env, ...env, NEWSLETTER_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Other newsletter commands')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', () => reject(new Error(`serve exited: ${output}`)));
  });
  return { base, cli: (args: string[]) => runCli(home, args, env) };
}

describe('the web archive, end to end', () => {
  it('serves a sent issue at its "view in browser" link, and each article in full', async () => {
    const home = await freshHome();
    const { base, cli } = await serve(home);
    await cli(['import', join(samples, 'midnight-museum-tour.txt')]);
    await cli(['subscribers', 'add', 'reader@example.com']);

    const sent = await cli(['send', '--json']);
    const { issueId } = JSON.parse(sent.stdout) as { issueId: string };

    const local = await readFile(join(home, 'issues', `${issueId}.html`), 'utf8');
    const response = await fetch(`${base}/issues/${issueId}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toBe(local);
    const viewInBrowser = parse(html)
      .querySelectorAll('a')
      .filter((a) => a.text.trim() === 'View in browser')
      .map((a) => a.getAttribute('href'));
    expect(viewInBrowser[0]).toBe(`${base}/issues/${issueId}`);

    const id = 'inside-the-midnight-museum-tour-that-sold-out-in-four-minutes';
    const article = await fetch(`${base}/articles/${id}`);
    expect(article.status).toBe(200);
    expect(parse(await article.text()).querySelector('h1')?.text).toBe(
      'Inside the Midnight Museum Tour That Sold Out in Four Minutes',
    );
  });
});
