import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshHome, runCli } from './support/run-cli.ts';
import { readOutbox } from './support/subscription-outbox.ts';

async function csvFile(home: string, content: string): Promise<string> {
  const file = join(home, 'subscribers.csv');
  await writeFile(file, content);
  return file;
}

async function listed(home: string) {
  const result = await runCli(home, ['subscribers', 'list', '--json']);
  return JSON.parse(result.stdout) as { email: string; status: string; id: string }[];
}

describe('newsletter subscribers import', () => {
  it('imports the good rows active, names each bad one by line and exits 1', async () => {
    const home = await freshHome();
    const file = await csvFile(
      home,
      'email,name\nada@example.com,Ada\nnope,No\ngrace@example.com,\n',
    );

    const result = await runCli(home, ['subscribers', 'import', file, '--json']);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${file}:3: "nope" is not an email address`);
    expect(JSON.parse(result.stdout)).toMatchObject({ rows: 2, added: { active: 2 } });
    expect((await listed(home)).map((s) => [s.email, s.status]).sort()).toEqual([
      ['ada@example.com', 'active'],
      ['grace@example.com', 'active'],
    ]);
  });

  it('with --strict imports nothing when a row is bad', async () => {
    const home = await freshHome();
    const file = await csvFile(home, 'email\nada@example.com\nnope\n');

    const result = await runCli(home, ['subscribers', 'import', file, '--strict']);

    expect(result.code).toBe(1);
    expect(await listed(home)).toEqual([]);
  });

  it('with --confirm adds pending subscribers and mails each a confirmation link', async () => {
    const home = await freshHome();
    const file = await csvFile(home, 'email\nada@example.com\ngrace@example.com\n');

    const result = await runCli(home, ['subscribers', 'import', file, '--confirm']);

    expect(result.code).toBe(0);
    expect((await listed(home)).map((s) => s.status)).toEqual(['pending', 'pending']);
    const outbox = await readOutbox(home);
    expect(outbox.map((m) => m.record.destinations[0]).sort()).toEqual([
      'ada@example.com',
      'grace@example.com',
    ]);
    expect(outbox[0]?.mail.text).toMatch(/http:\/\/127\.0\.0\.1:8787\/confirm\?token=/);
  });
});

describe('newsletter subscribers remove and export', () => {
  it('unsubscribes, and a later add leaves the address unsubscribed', async () => {
    const home = await freshHome();
    await runCli(home, ['subscribers', 'add', 'ada@example.com']);

    const removed = await runCli(home, ['subscribers', 'remove', 'ada@example.com']);
    await runCli(home, ['subscribers', 'add', 'ada@example.com']);

    expect(removed.code).toBe(0);
    expect((await listed(home)).map((s) => s.status)).toEqual(['unsubscribed']);
  });

  it('with --forget erases the address, and an editor cannot add it back as active', async () => {
    const home = await freshHome();
    await runCli(home, ['subscribers', 'add', 'ada@example.com', 'grace@example.com']);

    const forgot = await runCli(home, ['subscribers', 'remove', '--forget', 'ada@example.com']);
    const exported = await runCli(home, ['subscribers', 'export']);
    await runCli(home, ['subscribers', 'add', 'ada@example.com']);

    expect(forgot.code).toBe(0);
    expect(exported.stdout).toMatch(
      /^email,name,status,source,createdAt\r\ngrace@example\.com,,active,cli,[\d-]+T[\d:.]+Z\r\n$/,
    );
    expect((await listed(home)).map((s) => [s.email, s.status])).toEqual([
      ['grace@example.com', 'active'],
      ['ada@example.com', 'unsubscribed'],
    ]);
  });

  it('refuses to remove an unknown address, naming it, and removes nothing', async () => {
    const home = await freshHome();
    await runCli(home, ['subscribers', 'add', 'ada@example.com']);

    const result = await runCli(home, [
      'subscribers',
      'remove',
      'ada@example.com',
      'who@example.com',
    ]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('who@example.com');
    expect((await listed(home)).map((s) => s.status)).toEqual(['active']);
  });
});
