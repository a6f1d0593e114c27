import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outboxStats } from '#cli/local/outbox-stats.ts';
import { acquireStateLock } from '#cli/local/state-lock.ts';
import { emptyStatus } from '#core/issues/issue-status.ts';
import { freshHome, repoRoot, runCli } from './support/run-cli.ts';
import { whenFolderShows } from './support/when-folder-shows.ts';

const good = join(repoRoot, 'samples/articles/midnight-museum-tour.txt');

/** The lines the handlers logged in the state folder (`handlers.log`). */
async function handlerLines(home: string): Promise<Record<string, unknown>[]> {
  const log = await readFile(join(home, 'handlers.log'), 'utf8').catch(() => '');
  return log
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Sends of unknown outcome that the send-batch handler logged in the state folder. */
async function unknownSendsLogged(home: string): Promise<number> {
  return (await handlerLines(home))
    .filter((line) => line.message === 'page sent')
    .reduce((sum, line) => sum + (Number(line.unknown) || 0), 0);
}

/** The sum of one count over the metrics lines of an issue in `handlers.log`. */
const metricSum = (lines: Record<string, unknown>[], issueId: string, count: string) =>
  lines
    .filter((line) => line.message === 'metrics' && line.issueId === issueId)
    .reduce((sum, line) => sum + (Number(line[count]) || 0), 0);

describe('newsletter subscribers', () => {
  it('refuses invalid addresses, naming them, and adds none', async () => {
    const home = await freshHome();

    const result = await runCli(home, ['subscribers', 'add', 'ok@example.com', 'not-an-address']);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('not-an-address');
    const listed = await runCli(home, ['subscribers', 'list', '--json']);
    expect(JSON.parse(listed.stdout)).toEqual([]);
  });

  it('adds an address once, however often it is given', async () => {
    const home = await freshHome();
    await runCli(home, ['subscribers', 'add', 'reader@example.com']);

    await runCli(home, ['subscribers', 'add', 'Reader@Example.com']);

    const listed = JSON.parse((await runCli(home, ['subscribers', 'list', '--json'])).stdout);
    expect(listed).toEqual([
      expect.objectContaining({ email: 'reader@example.com', status: 'active', source: 'cli' }),
    ]);
    expect(listed[0].id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });
});

describe('newsletter send', () => {
  it('with nothing new sends nothing, says so and exits 0', async () => {
    const home = await freshHome();
    // Someone to send to: with nobody active, `send` refuses before it looks for articles.
    await runCli(home, ['subscribers', 'add', 'reader@example.com']);

    const result = await runCli(home, ['send', '--json']);

    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout);
    expect(printed).toEqual(emptyStatus);
    // What empty means, checked here rather than trusted: no issue, and every count zero.
    expect(Object.entries(printed).filter(([, value]) => value !== 0)).toEqual([['issueId', null]]);
    expect(result.stderr).toContain('Nothing new to send');
  });

  it('starts no issue while nobody is active (exit 1), and sends its articles once someone is', async () => {
    const home = await freshHome();
    await runCli(home, ['import', good]);

    const refused = await runCli(home, ['send']);

    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('No active subscriber');
    expect(JSON.parse((await runCli(home, ['status', '--json'])).stdout)).toMatchObject({
      issueId: null,
    });
    await runCli(home, ['subscribers', 'add', 'reader@example.com']);
    const sent = await runCli(home, ['send', '--json']);
    expect(sent.code).toBe(0);
    expect(JSON.parse(sent.stdout)).toMatchObject({ articles: 1, recipients: 1, sent: 1 });
  });

  it('on a dry run writes issue.html and issue.txt and sends nothing', async () => {
    const home = await freshHome();
    await runCli(home, ['import', good]);
    await runCli(home, ['subscribers', 'add', 'reader@example.com']);

    const result = await runCli(home, ['send', '--dry-run']);

    expect(result.code).toBe(0);
    expect(await readFile(join(home, 'issue.html'), 'utf8')).toMatch(/<html[^>]* lang="en"/);
    expect(await readFile(join(home, 'issue.txt'), 'utf8')).toContain('Hana Ito/Example Pictures');
    expect(await readdir(join(home, 'outbox')).catch(() => [])).toEqual([]);
  });

  it('prints the outcome as JSON for scripts', async () => {
    const home = await freshHome();
    await runCli(home, ['import', good]);
    await runCli(home, ['subscribers', 'add', 'a@example.com', 'b@example.com']);

    const result = await runCli(home, ['send', '--json']);

    expect(result.code).toBe(0);
    // Its JSON alone (all of stdout parses), however the handlers run in this process log.
    const printed = JSON.parse(result.stdout);
    expect(printed).toEqual({
      issueId: expect.stringMatching(/^[0-9A-Z]{26}$/),
      articles: 1,
      recipients: 2,
      queued: 0,
      sent: 2,
      failed: 0,
      unknown: 0,
      suppressed: 0,
      cancelled: 0,
    });
    // The handlers' lines and the send's metrics went to handlers.log instead.
    const lines = await handlerLines(home);
    expect(lines).toContainEqual(
      expect.objectContaining({ message: 'page sent', issueId: printed.issueId }),
    );
    expect(metricSum(lines, printed.issueId, 'sent')).toBe(2);
    expect(metricSum(lines, printed.issueId, 'failed')).toBe(0);
    expect(result.stdout + result.stderr).not.toContain('page sent');
    expect(result.stdout + result.stderr).not.toContain('_aws');
  });

  it('skips who left, counts them as suppressed, and applies what SES reports about the rest', async () => {
    const home = await freshHome();
    await runCli(home, ['import', good]);
    await runCli(home, [
      'subscribers',
      'add',
      'stays@example.com',
      'leaves@example.com',
      'bounce@simulator.amazonses.com',
    ]);
    await runCli(home, ['subscribers', 'remove', 'leaves@example.com']);

    const result = await runCli(home, ['send', '--json']);

    expect(JSON.parse(result.stdout)).toMatchObject({ recipients: 2, sent: 2, suppressed: 1 });
    const outbox = (await readdir(join(home, 'outbox'))).filter((name) => name.endsWith('.json'));
    expect(outbox).toHaveLength(2);
    // SES's Bounce event for the simulator's address was applied before the command ended.
    const listed = JSON.parse((await runCli(home, ['subscribers', 'list', '--json'])).stdout);
    expect(listed.find((s: { email: string }) => s.email.startsWith('bounce@'))?.status).toBe(
      'suppressed',
    );
    // The ses-events handler counted the bounce in the issue's metrics, in handlers.log.
    const issueId = JSON.parse(result.stdout).issueId;
    expect(metricSum(await handlerLines(home), issueId, 'bounces')).toBe(1);
  });

  it('sends at the rate given, and refuses a rate that is not a number', async () => {
    const home = await freshHome();
    await runCli(home, ['import', good]);
    await runCli(home, ['subscribers', 'add', 'a@example.com']);

    const result = await runCli(home, ['send', '--rate', '2.5']);

    expect(result.stdout).toContain('at 2.5 messages/s');
    expect((await runCli(home, ['send', '--rate', 'fast'])).code).toBe(2);
  });
});

describe('newsletter status', () => {
  it('prints where the latest issue stands, and any issue by its id', async () => {
    const home = await freshHome();
    await runCli(home, ['import', good]);
    await runCli(home, ['subscribers', 'add', 'a@example.com', 'b@example.com']);
    const sent = JSON.parse((await runCli(home, ['send', '--json'])).stdout);

    const latest = await runCli(home, ['status', '--json']);
    const byId = await runCli(home, ['status', sent.issueId, '--json']);

    // `status --json` prints the issue as `issues show --json` does: its counts and more.
    expect(JSON.parse(latest.stdout)).toMatchObject({ ...sent, state: 'sent' });
    expect(JSON.parse(byId.stdout)).toEqual(JSON.parse(latest.stdout));
    expect((await runCli(home, ['status', sent.issueId])).stdout).toContain(
      'is sent: 2 recipients, 2 sent',
    );
  });

  it('lets an editor force out the unknown sends of an issue, each sent exactly once, and none are left', async () => {
    const home = await freshHome();
    await runCli(home, ['import', good]);
    await runCli(home, ['subscribers', 'add', 'a@example.com', 'b@example.com']);
    // Every connection to SES drops before it takes the message: nothing is sent, and the
    // sender cannot tell, so both sends wait, unknown, for an event that never comes.
    const child = spawn(process.execPath, [join(repoRoot, 'cli/bin.js'), 'send'], {
      cwd: repoRoot,
      env: { ...process.env, NEWSLETTER_LOCAL_SES_FAULTS: 'reset=1', NEWSLETTER_HOME: home },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await whenFolderShows(home, async () => (await unknownSendsLogged(home)) >= 2, {
      what: 'two sends of unknown outcome in handlers.log',
      timeoutMs: 60_000,
      gaveUp: exited,
    });
    child.kill('SIGKILL');
    await exited;
    const stuck = JSON.parse((await runCli(home, ['status', '--json'])).stdout);

    const forced = await runCli(home, ['send', '--resend-unknown', stuck.issueId, '--json']);
    const missing = await runCli(home, ['send', '--resend-unknown', '01JNOSUCHISSUE000000000000']);

    expect(stuck).toMatchObject({ recipients: 2, sent: 0, unknown: 2 });
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain('Queued 2 messages of unknown outcome again');
    expect(JSON.parse(forced.stdout)).toMatchObject({ recipients: 2, sent: 2, unknown: 0 });
    const outbox = await outboxStats(join(home, 'outbox'));
    expect(Object.fromEntries(outbox.perRecipient)).toEqual({
      'a@example.com': 1,
      'b@example.com': 1,
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('there is no issue 01JNOSUCHISSUE000000000000');
  }, 120_000);

  it('says there is no issue yet, and exits 1 for an issue that does not exist', async () => {
    const home = await freshHome();

    const none = await runCli(home, ['status', '--json']);
    const missing = await runCli(home, ['status', '01JNOSUCHISSUE000000000000']);

    expect(JSON.parse(none.stdout)).toMatchObject({ issueId: null, recipients: 0 });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('01JNOSUCHISSUE000000000000');
  });

  it('stops with exit 1, naming the process, when the holder of the state folder never shares its services', async () => {
    const home = await freshHome();
    const lock = await acquireStateLock(home);
    try {
      const result = await runCli(home, ['send']);

      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`in use by process ${process.pid}`);
    } finally {
      await lock.release();
    }
  });
});
