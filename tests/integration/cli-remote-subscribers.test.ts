import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyLimits } from '#app/editor-api/body-limits.ts';
import { startRemoteStack } from './support/remote-cli.ts';
import { stopServes } from './support/serve-cli.ts';

interface Listed {
  id: string;
  email: string;
  status: string;
  source: string;
}

interface AuditRecord {
  actor: string;
  action: string;
  outcome: { result: string; status?: number };
}

let stack: Awaited<ReturnType<typeof startRemoteStack>>;

beforeAll(async () => {
  stack = await startRemoteStack();
}, 60_000);

afterAll(stopServes);

/** The subscribers as the stack holds them, read behind its API. */
async function held(): Promise<Listed[]> {
  const result = await stack.local(['subscribers', 'list', '--json']);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Listed[];
}

/** The changes the stack's audit trail recorded since `since`. */
async function changesSince(since: string): Promise<AuditRecord[]> {
  const result = await stack.local(['audit', '--since', since, '--json']);
  expect(result.code).toBe(0);
  return (JSON.parse(result.stdout) as { records: AuditRecord[] }).records;
}

/**
 * A CSV file of `count` readers (`prefix+N@example.com`) over 1 MiB: each row carries a note
 * of 1,800 characters (an ignored column), one note spans two lines, and a bad address
 * follows the 590th row. Returns the file and the line of the bad row in it.
 */
async function bigCsv(prefix: string, count: number) {
  const note = 'x'.repeat(1800);
  const rows = ['email,name,note'];
  for (let n = 1; n <= count; n++) {
    rows.push(`${prefix}+${n}@example.com,Reader ${n},${n === 100 ? '"two\nlines"' : note}`);
    if (n === 590) rows.push(`not-an-address,Nobody,${note}`);
  }
  const text = `${rows.join('\n')}\n`;
  const file = join(stack.editorHome, `${prefix}.csv`);
  await writeFile(file, text);
  const badLine = text.slice(0, text.indexOf('not-an-address')).split('\n').length;
  return { file, bytes: Buffer.byteLength(text), badLine };
}

describe('newsletter subscribers with NEWSLETTER_TARGET=aws, through the editor API', () => {
  it('adds, lists and exports, printing what the stack itself prints', async () => {
    const added = await stack.remote([
      'subscribers',
      'add',
      'ada@example.com',
      'grace@example.com',
    ]);
    const again = await stack.remote(['subscribers', 'add', 'ada@example.com']);
    // Each read through the API, and the same command on the stack's own folder.
    const [remoteList, stackList] = await Promise.all([
      stack.remote(['subscribers', 'list', '--json']),
      held(),
    ]);
    const [remoteText, stackText] = await Promise.all([
      stack.remote(['subscribers', 'list']),
      stack.local(['subscribers', 'list']),
    ]);
    const [remoteCsv, stackCsv] = await Promise.all([
      stack.remote(['subscribers', 'export']),
      stack.local(['subscribers', 'export']),
    ]);

    expect(added.code).toBe(0);
    expect(added.stdout).toBe('Added 2 subscribers.\n');
    expect(again.stdout).toBe(
      'Added 0 subscribers.\n  already present, left active: ada@example.com\n',
    );
    expect(remoteList.code).toBe(0);
    expect(JSON.parse(remoteList.stdout)).toEqual(stackList);
    expect(stackList.map((each) => [each.email, each.status, each.source])).toEqual(
      expect.arrayContaining([
        ['ada@example.com', 'active', 'editor'],
        ['grace@example.com', 'active', 'editor'],
      ]),
    );
    expect(remoteText.stdout).toBe(stackText.stdout);
    expect(remoteCsv.code).toBe(0);
    expect(remoteCsv.stdout).toMatch(/^email,name,status,source,createdAt\r\n/);
    expect(remoteCsv.stdout).toBe(stackCsv.stdout);
  }, 120_000);

  it('removes by address and by id, and nothing when one is unknown', async () => {
    const added = await stack.remote([
      'subscribers',
      'add',
      '--json',
      'linus@example.com',
      'alan@example.com',
    ]);
    const alan = (JSON.parse(added.stdout) as Listed[]).find(
      (each) => each.email === 'alan@example.com',
    );

    const unknown = await stack.remote([
      'subscribers',
      'remove',
      'nobody@example.com',
      'linus@example.com',
    ]);
    const byAddress = await stack.remote(['subscribers', 'remove', 'LINUS@example.com']);
    const byId = await stack.remote(['subscribers', 'remove', '--forget', '--json', `${alan?.id}`]);

    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(
      'newsletter: no subscriber with this address or id: nobody@example.com; nothing was removed\n',
    );
    expect(byAddress.code).toBe(0);
    expect(byAddress.stdout).toBe('Unsubscribed 1 subscriber.\n');
    expect(byId.code).toBe(0);
    expect(JSON.parse(byId.stdout)).toEqual([{ id: alan?.id, forgotten: true, kept: 'forgotten' }]);
    const now = await held();
    expect(now.find((each) => each.email === 'linus@example.com')?.status).toBe('unsubscribed');
    expect(now.some((each) => each.email === 'alan@example.com')).toBe(false);
  }, 120_000);

  it('imports a CSV over 1 MiB in several requests, a bad row named at its line in the file', async () => {
    const { file, bytes, badLine } = await bigCsv('reader', 600);
    const since = new Date().toISOString();

    const result = await stack.remote(['subscribers', 'import', file, '--json']);

    expect(bytes).toBeGreaterThan(bodyLimits.subscribers);
    expect(badLine).toBe(593);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${file}:593: "not-an-address" is not an email address\n`);
    expect(result.stderr).toContain('Ignored columns: note.\n');
    expect(result.stderr).toContain(
      'Imported 600 good rows: 600 new, 0 already present (left as they were).\n',
    );
    expect(JSON.parse(result.stdout)).toEqual({
      rows: 600,
      added: { active: 600 },
      unchanged: {},
      held: 0,
      confirmationsSent: 0,
      confirmationsRejected: 0,
      errors: [{ line: 593, message: '"not-an-address" is not an email address' }],
      stopped: false,
    });
    const readers = (await held()).filter((each) => each.email.startsWith('reader+'));
    expect(readers).toHaveLength(600);
    expect(new Set(readers.map((each) => each.status))).toEqual(new Set(['active']));
    const imports = (await changesSince(since)).filter(
      (record) => record.action === 'POST /subscribers',
    );
    expect(imports.map((record) => [record.actor, record.outcome.result])).toEqual([
      [expect.stringMatching(/^iam:/), 'ok'],
      [expect.stringMatching(/^iam:/), 'ok'],
    ]);
  }, 180_000);

  it('with --strict sends nothing when any row of the file is bad', async () => {
    const { file } = await bigCsv('strict', 600);
    const since = new Date().toISOString();

    const result = await stack.remote(['subscribers', 'import', file, '--strict']);

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Nothing imported: 1 bad rows and --strict.\n');
    expect((await held()).some((each) => each.email.startsWith('strict+'))).toBe(false);
    expect(await changesSince(since)).toEqual([]);
  }, 120_000);
});
