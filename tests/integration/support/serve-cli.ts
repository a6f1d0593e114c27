import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { repoRoot, runCli } from './run-cli.ts';

const children: ChildProcess[] = [];

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  return typeof address === 'object' && address ? address.port : 0;
}

/**
 * `newsletter serve` on a free port, as a user starts it, with `publicBaseUrl` pointing at
 * it; resolves once it listens. `cli` runs another command on the same state folder, which
 * shares serve's services. Stop every server with `stopServes` after each test.
 * @param settings more variables for serve and `cli`, such as `NEWSLETTER_<KEY>` overrides
 */
export async function startServe(home: string, settings: Record<string, string> = {}) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // A schedule that never fires: serve runs it, and no test wants an issue sent by it.
  const env = {
    NEWSLETTER_PUBLIC_BASE_URL: base,
    NEWSLETTER_SCHEDULE_EXPRESSION: 'cron(0 0 1 1 ? 1970)',
    ...settings,
  };
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
  return {
    base,
    cli: (args: string[]) => runCli(home, args, env),
    /** What serve printed so far, stdout and stderr together. */
    output: () => output,
  };
}

/** Stops (SIGTERM) every server that `startServe` started and waits for each to exit. */
export async function stopServes(): Promise<void> {
  for (const child of children.splice(0)) {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  }
}
