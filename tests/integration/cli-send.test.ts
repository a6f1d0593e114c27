import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireStateLock } from '#cli/local/state-lock.ts';
import { freshHome, repoRoot, runCli } from './support/run-cli.ts';

const good = join(repoRoot, 'samples/articles/midnight-museum-tour.txt');

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

    const result = await runCli(home, ['send', '--json']);

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      issueId: null,
      articles: 0,
      recipients: 0,
      sent: 0,
      failed: 0,
    });
    expect(result.stderr).toContain('Nothing new to send');
  });

  it('on a dry run writes issue.html and issue.txt and sends nothing', async () => {
    const home = await freshHome();
    await runCli(home, ['import', good]);
    await runCli(home, ['subscribers', 'add', 'reader@example.com']);

    const result = await runCli(home, ['send', '--dry-run']);

    expect(result.code).toBe(0);
    expect(await readFile(join(home, 'issue.html'), 'utf8')).toMatch(/<html[^>]* lang="en"/);
    expect(await readFile(join(home, 'issue.txt'), 'utf8')).toContain('Photo:');
    expect(await readdir(join(home, 'outbox')).catch(() => [])).toEqual([]);
  });

  it('prints the outcome as JSON for scripts', async () => {
    const home = await freshHome();
    await runCli(home, ['import', good]);
    await runCli(home, ['subscribers', 'add', 'a@example.com', 'b@example.com']);

    const result = await runCli(home, ['send', '--json']);

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      issueId: expect.stringMatching(/^[0-9A-Z]{26}$/),
      articles: 1,
      recipients: 2,
      sent: 2,
      failed: 0,
    });
  });

  it('stops with exit 1 and points to `newsletter serve` while another process owns the state folder', async () => {
    const home = await freshHome();
    const lock = await acquireStateLock(home);
    try {
      const result = await runCli(home, ['send']);

      expect(result.code).toBe(1);
      expect(result.stderr).toContain('newsletter serve');
    } finally {
      await lock.release();
    }
  });
});
