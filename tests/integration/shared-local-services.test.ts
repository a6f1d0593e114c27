import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freshHome, repoRoot, runCli } from './support/run-cli.ts';
import { startServe, stopServes } from './support/serve-cli.ts';

const localServicesModule = path.join(repoRoot, 'cli/local-services.ts');
const configModule = path.join(repoRoot, 'lambdas/adapters/config-file.ts');

/** A process started by a test: what it printed so far, and a line to send it. */
interface Running {
  child: ChildProcess;
  /** Everything printed on stdout and stderr so far. */
  output(): string;
  /** Resolves once the process has printed `text`; rejects if it exits first. */
  printed(text: string): Promise<void>;
  /** Resolves with the exit code once the process has exited and all it printed is read. */
  exited: Promise<number | null>;
  /** Writes `line` to the process's stdin. */
  tell(line: string): void;
}

const homes: string[] = [];
const running: Running[] = [];

afterEach(async () => {
  await stopServes();
  for (const { child, exited } of running.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  }
  await Promise.all(homes.splice(0).map((home) => rm(home, { recursive: true, force: true })));
});

async function newHome(): Promise<string> {
  const home = await freshHome();
  homes.push(home);
  return home;
}

function start(command: string, args: string[], env: Record<string, string> = {}): Running {
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const read = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', read);
  child.stderr?.on('data', read);
  const exited = once(child, 'close').then(([code]) => code as number | null);
  const handle: Running = {
    child,
    output: () => output,
    printed: (text) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!output.includes(text)) return;
          listeners.delete(check);
          resolve();
        };
        listeners.add(check);
        check();
        exited.then(() => {
          listeners.delete(check);
          reject(new Error(`exited before printing "${text}":\n${output}`));
        });
      }),
    exited,
    tell: (line) => child.stdin?.write(`${line}\n`),
  };
  running.push(handle);
  return handle;
}

/**
 * A process that runs `withLocalServices` on `home`: it prints `ready` once it has the
 * services, and on `end` (a line on stdin) lists the DynamoDB tables through them, prints
 * `tables: N` and lets its work end; it prints `done` once `withLocalServices` returned.
 */
async function holdServices(home: string): Promise<Running> {
  const script = `
    import { createInterface } from 'node:readline';
    import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
    const { withLocalServices } = await import(${JSON.stringify(localServicesModule)});
    const { loadConfig } = await import(${JSON.stringify(configModule)});
    const lines = createInterface({ input: process.stdin });
    const told = (line) => new Promise((resolve) => lines.on('line', (l) => l === line && resolve()));
    await withLocalServices(${JSON.stringify(home)}, await loadConfig(), async (env) => {
      console.log('ready');
      await told('end');
      const dynamodb = new DynamoDBClient({ endpoint: env.AWS_ENDPOINT_URL_DYNAMODB, maxAttempts: 1 });
      const { TableNames } = await dynamodb.send(new ListTablesCommand({}));
      dynamodb.destroy();
      console.log('tables: ' + TableNames.length);
    });
    console.log('done');
    lines.close();
  `;
  const holder = start(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
  await holder.printed('ready');
  return holder;
}

/** `newsletter serve` on a free port, as a user starts it; resolves once it listens. */
async function startServing(home: string): Promise<Running> {
  const served = start(
    process.execPath,
    [path.join(repoRoot, 'cli/bin.js'), 'serve', '--port', String(await freePort())],
    { NEWSLETTER_HOME: home },
  );
  await served.printed('Other newsletter commands');
  return served;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  return typeof address === 'object' && address ? address.port : 0;
}

describe('local services shared by whichever command started them', () => {
  it('a command run while another process owns them uses them instead of being refused', async () => {
    const home = await newHome();
    const owner = await holdServices(home);

    const status = await runCli(home, ['status', '--json']);

    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ issueId: null });
    expect(owner.child.exitCode).toBeNull();
  });

  it('the owner keeps them up while a command still uses them, says so, and then stops', async () => {
    const home = await newHome();
    const owner = await holdServices(home);
    const user = await holdServices(home);

    owner.tell('end');
    await owner.printed('Keeping the local services up for 1 other command');
    const stillUp = owner.child.exitCode;
    user.tell('end');

    expect(await user.exited).toBe(0);
    expect(user.output()).toMatch(/tables: [1-9]/);
    expect(stillUp).toBeNull();
    expect(owner.output()).toContain(`(pid ${user.child.pid}) on ${home}`);
    expect(await owner.exited).toBe(0);
    expect(owner.output()).toContain('done');
  });

  it('the owner does not wait for a user that was killed', async () => {
    const home = await newHome();
    const owner = await holdServices(home);
    const user = await holdServices(home);
    user.child.kill('SIGKILL');
    await user.exited;

    owner.tell('end');

    expect(await owner.exited).toBe(0);
    expect(owner.output()).not.toContain('Keeping the local services up');
  });

  it('commands started at once on a fresh state folder all succeed', async () => {
    const home = await newHome();

    const results = await Promise.all([
      runCli(home, ['status', '--json']),
      runCli(home, ['subscribers', 'list', '--json']),
      runCli(home, ['articles', 'list', '--json']),
    ]);

    expect(results.map((result) => [result.code, result.stderr])).toEqual([
      [0, expect.any(String)],
      [0, expect.any(String)],
      [0, expect.any(String)],
    ]);
  });
});

describe('newsletter serve and the shared local services', () => {
  it('refuses to start while another command runs them, naming its process', async () => {
    const home = await newHome();
    const owner = await holdServices(home);

    const refused = await runCli(home, ['serve', '--port', String(await freePort())]);

    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`process ${owner.child.pid} runs the local services`);
    expect(owner.child.exitCode).toBeNull();
  });

  it('refuses a second serve on a folder that is served already', async () => {
    const home = await newHome();
    await startServe(home);

    const second = await runCli(home, ['serve', '--port', String(await freePort())]);

    expect(second.code).toBe(1);
    expect(second.stderr).toContain('served already by another newsletter serve');
  });

  it('once stopped, keeps them up while a command still uses them, says so, and then stops', async () => {
    const home = await newHome();
    const served = await startServing(home);
    const user = await holdServices(home);

    served.child.kill('SIGTERM');
    await served.printed('Keeping the local services up for 1 other command');
    const stillUp = served.child.exitCode;
    user.tell('end');

    expect(await user.exited).toBe(0);
    expect(user.output()).toMatch(/tables: [1-9]/);
    expect(stillUp).toBeNull();
    expect(await served.exited).toBe(0);
    expect(served.output()).toContain('Stopped.');
  });
});
