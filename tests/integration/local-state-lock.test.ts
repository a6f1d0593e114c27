import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  readLiveServicesRecord,
  removeServicesRecord,
  writeServicesRecord,
} from '#cli/local/services-record.ts';
import { acquireStateLock, StateLockedError } from '#cli/local/state-lock.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const stateLockModule = path.join(repoRoot, 'cli/local/state-lock.ts');
const servicesRecordModule = path.join(repoRoot, 'cli/local/services-record.ts');

const stateDirs: string[] = [];
const children: ChildProcess[] = [];

async function newStateDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'newsletter-state-lock-'));
  stateDirs.push(dir);
  return dir;
}

/** Runs `script` in another Node process and resolves once it prints `ready`. */
async function startChild(script: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready')) resolve();
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`The child process ended early (${code})`)));
  });
  return child;
}

/** A process that takes the lock on `stateDir` and then waits to be killed. */
function childHoldingLock(stateDir: string): Promise<ChildProcess> {
  return startChild(`
    const { acquireStateLock } = await import(${JSON.stringify(stateLockModule)});
    await acquireStateLock(${JSON.stringify(stateDir)});
    console.log('ready');
    setInterval(() => {}, 1000);
  `);
}

async function killAndWait(child: ChildProcess): Promise<void> {
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) await killAndWait(child);
  }
  await Promise.all(stateDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('acquireStateLock', () => {
  it('refuses a second hold on the state folder while the first is held', async () => {
    const stateDir = await newStateDir();
    const lock = await acquireStateLock(stateDir);

    const second = acquireStateLock(stateDir);

    await expect(second).rejects.toBeInstanceOf(StateLockedError);
    await lock.release();
  });

  it('gives the folder to the next command once released', async () => {
    const stateDir = await newStateDir();
    const first = await acquireStateLock(stateDir);
    await first.release();

    const second = acquireStateLock(stateDir);

    await expect(second).resolves.toHaveProperty('release');
    await (await second).release();
  });

  it('names the process that holds the folder and tells to wait for it', async () => {
    const stateDir = await newStateDir();
    const holder = await childHoldingLock(stateDir);

    const attempt = acquireStateLock(stateDir);

    await expect(attempt).rejects.toThrow(
      new RegExp(`in use by process ${holder.pid}\\b.*Wait for that command to end`, 's'),
    );
  });

  it('takes over the lock of a process that was killed while holding it', async () => {
    const stateDir = await newStateDir();
    await killAndWait(await childHoldingLock(stateDir));

    const lock = acquireStateLock(stateDir);

    await expect(lock).resolves.toHaveProperty('release');
    await (await lock).release();
  });

  it('takes over a lock whose pid now belongs to another process, as after a reboot', async () => {
    const stateDir = await newStateDir();
    const lock = await acquireStateLock(stateDir);
    const lockFile = path.join(stateDir, 'owner.lock');
    const record = JSON.parse(await readFile(lockFile, 'utf8'));
    await writeFile(lockFile, JSON.stringify({ ...record, startTicks: '1', token: 'earlier' }));

    const next = acquireStateLock(stateDir);

    await expect(next).resolves.toHaveProperty('release');
    await (await next).release();
    await lock.release();
  });

  it('lets exactly one of many simultaneous attempts take a stale lock', async () => {
    const stateDir = await newStateDir();
    await killAndWait(await childHoldingLock(stateDir));

    const attempts = await Promise.allSettled(
      Array.from({ length: 8 }, () => acquireStateLock(stateDir)),
    );

    expect(attempts.filter((attempt) => attempt.status === 'fulfilled')).toHaveLength(1);
  });
});

describe('the services record', () => {
  it('gives the recorded variables while the process that wrote them lives', async () => {
    const stateDir = await newStateDir();
    const env = { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:4567' };
    await writeServicesRecord(stateDir, env);

    expect(await readLiveServicesRecord(stateDir)).toEqual(env);
  });

  it('ignores a record left by a process that has ended', async () => {
    const stateDir = await newStateDir();
    const writer = await startChild(`
      const { writeServicesRecord } = await import(${JSON.stringify(servicesRecordModule)});
      await writeServicesRecord(${JSON.stringify(stateDir)}, { AWS_REGION: 'us-east-1' });
      console.log('ready');
      setInterval(() => {}, 1000);
    `);
    await killAndWait(writer);

    expect(await readLiveServicesRecord(stateDir)).toBeUndefined();
  });

  it('finds nothing in a state folder where no services were recorded', async () => {
    const stateDir = await newStateDir();

    expect(await readLiveServicesRecord(stateDir)).toBeUndefined();
  });

  it('finds nothing once the record is removed', async () => {
    const stateDir = await newStateDir();
    await writeServicesRecord(stateDir, { AWS_REGION: 'us-east-1' });

    await removeServicesRecord(stateDir);

    expect(await readLiveServicesRecord(stateDir)).toBeUndefined();
  });
});
