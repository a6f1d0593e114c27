import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRemoteStack } from './support/remote-cli.ts';
import { freshHome, runCli } from './support/run-cli.ts';
import { stopServes } from './support/serve-cli.ts';

// `newsletter keys` as a user runs it: on a state folder (`<state>/link-keys.json`), then
// through a stack's signed editor API (`newsletter serve` stands in for it).

interface Listed {
  keys: { kid: string; madeAt?: string; newest: boolean }[];
}

interface AuditRecord {
  actor: string;
  action: string;
  target?: string;
  outcome: { result: string; status?: number; exitCode?: number; code?: string };
}

const kidsOf = (listed: Listed) => listed.keys.map((key) => key.kid);

describe('newsletter keys, locally', () => {
  let home: string;
  const cli = (args: string[]) => runCli(home, args);
  beforeAll(async () => {
    home = await freshHome();
  });

  it('starts with the one key of links before rotation, kid "0", the newest', async () => {
    const listed = await cli(['keys', 'list', '--json']);

    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual({ keys: [{ kid: '0', newest: true }] });
  });

  it('rotates: a second key, the newest, the first kept; the file holds both', async () => {
    const rotated = await cli(['keys', 'rotate', '--json']);

    expect(rotated.code).toBe(0);
    const { kid, kept } = JSON.parse(rotated.stdout);
    expect(kept).toEqual(['0']);
    const listed = JSON.parse((await cli(['keys', 'list', '--json'])).stdout) as Listed;
    expect(listed.keys).toEqual([
      { kid, madeAt: expect.any(String), newest: true },
      { kid: '0', newest: false },
    ]);
    const file = JSON.parse(await readFile(join(home, 'link-keys.json'), 'utf8'));
    expect(Object.keys(file).sort()).toEqual(['0', kid].sort());
  });

  it('without --yes only tells what retiring would break, changes nothing, and exits 1', async () => {
    const before = JSON.parse((await cli(['keys', 'list', '--json'])).stdout) as Listed;

    const asked = await cli(['keys', 'retire', '0']);
    const askedJson = await cli(['keys', 'retire', '0', '--json']);

    expect(asked.code).toBe(1);
    expect(asked.stdout).toContain('Key 0 signed every new link from the start until');
    expect(asked.stdout).toContain('Retiring it would break the links of no issue sent then.');
    expect(asked.stdout).toContain('Nothing was retired: run `newsletter keys retire 0 --yes`');
    expect(askedJson.code).toBe(1);
    expect(JSON.parse(askedJson.stdout)).toMatchObject({
      kid: '0',
      dryRun: true,
      breaks: { issues: [], mailed: 0 },
    });
    const after = JSON.parse((await cli(['keys', 'list', '--json'])).stdout) as Listed;
    expect(after).toEqual(before);
  });

  it('refuses to retire the newest key (rotate first) or a kid it does not keep', async () => {
    const listed = JSON.parse((await cli(['keys', 'list', '--json'])).stdout) as Listed;
    const newest = listed.keys.find((key) => key.newest)?.kid ?? '';

    const refused = await cli(['keys', 'retire', newest, '--yes']);
    const unknown = await cli(['keys', 'retire', 'zz9', '--yes']);
    const malformed = await cli(['keys', 'retire', 'NOT-A-KID', '--yes']);

    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Rotate first');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('There is no link key zz9');
    expect(malformed.code).toBe(2);
    expect(JSON.parse((await cli(['keys', 'list', '--json'])).stdout)).toEqual(listed);
  });

  it('with --yes retires the key, says what broke, and records it in the audit trail', async () => {
    const retired = await cli(['keys', 'retire', '0', '--yes', '--json']);

    expect(retired.code).toBe(0);
    const retirement = JSON.parse(retired.stdout);
    expect(retirement).toMatchObject({ kid: '0', dryRun: false, breaks: { mailed: 0 } });
    const listed = JSON.parse((await cli(['keys', 'list', '--json'])).stdout) as Listed;
    expect(kidsOf(listed)).toEqual(retirement.kept);
    expect(kidsOf(listed)).not.toContain('0');
    const audit = JSON.parse((await cli(['audit', '--json'])).stdout) as { records: AuditRecord[] };
    const refused = { result: 'refused', exitCode: 1, code: 'LinkKeyError' };
    expect(
      audit.records.map(({ action, target, outcome }) => ({ action, target, outcome })),
    ).toEqual([
      { action: 'keys retire', target: '0', outcome: { result: 'ok', exitCode: 0 } },
      // The refusals are recorded too; the estimates and the malformed kid (a usage error) not.
      { action: 'keys retire', target: 'zz9', outcome: refused },
      { action: 'keys retire', target: retirement.kept[0], outcome: refused },
      { action: 'keys rotate', target: retirement.kept[0], outcome: { result: 'ok', exitCode: 0 } },
    ]);
  });

  it('has --help for each command', async () => {
    for (const command of [['keys'], ['keys', 'list'], ['keys', 'rotate'], ['keys', 'retire']]) {
      const help = await cli([...command, '--help']);
      expect({ command, code: help.code }).toEqual({ command, code: 0 });
      expect(help.stdout).toContain('Usage: newsletter');
    }
  });
});

describe('newsletter keys, through the editor API', () => {
  let stack: Awaited<ReturnType<typeof startRemoteStack>>;
  beforeAll(async () => {
    stack = await startRemoteStack();
  }, 60_000);
  afterAll(stopServes);

  it('rotates, lists, estimates and retires the stack’s keys, recorded as the signer', async () => {
    const rotated = await stack.remote(['keys', 'rotate', '--json']);
    expect({ code: rotated.code, stderr: rotated.stderr }).toEqual({
      code: 0,
      stderr: expect.stringContaining('every new link is signed with it'),
    });
    const { kid } = JSON.parse(rotated.stdout);

    // The stack's own folder holds the keys; the editor's holds none.
    const behind = JSON.parse((await stack.local(['keys', 'list', '--json'])).stdout) as Listed;
    expect(kidsOf(behind)).toEqual([kid, '0']);
    const listed = await stack.remote(['keys', 'list', '--json']);
    expect(JSON.parse(listed.stdout)).toEqual(behind);

    const asked = await stack.remote(['keys', 'retire', '0']);
    expect(asked.code).toBe(1);
    expect(asked.stdout).toContain('Nothing was retired');
    expect(kidsOf(JSON.parse((await stack.local(['keys', 'list', '--json'])).stdout))).toEqual([
      kid,
      '0',
    ]);

    const refused = await stack.remote(['keys', 'retire', kid, '--yes']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Rotate first');

    const retired = await stack.remote(['keys', 'retire', '0', '--yes', '--json']);
    expect(retired.code).toBe(0);
    expect(JSON.parse(retired.stdout)).toMatchObject({ kid: '0', dryRun: false, kept: [kid] });
    expect(kidsOf(JSON.parse((await stack.local(['keys', 'list', '--json'])).stdout))).toEqual([
      kid,
    ]);

    const audit = JSON.parse((await stack.local(['audit', '--json'])).stdout) as {
      records: AuditRecord[];
    };
    const changes = audit.records.map(({ actor, action, target, outcome }) => ({
      signed: actor.startsWith('iam:local/'),
      action,
      target,
      outcome: outcome.code ?? outcome.result,
    }));
    expect(changes).toEqual([
      { signed: true, action: 'POST /keys/:kid/retire', target: '0', outcome: 'ok' },
      { signed: true, action: 'POST /keys/:kid/retire', target: kid, outcome: 'link-key-newest' },
      { signed: true, action: 'POST /keys/:kid/retire', target: '0', outcome: 'dry-run' },
      { signed: true, action: 'POST /keys', target: kid, outcome: 'ok' },
    ]);
  });
});
