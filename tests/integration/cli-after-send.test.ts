import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'node-html-parser';
import { afterEach, describe, expect, it } from 'vitest';
import type { IssueReport } from '#core/issues/issue-report.ts';
import { cliOn, outboxRecords, readers, seed, show, showUntil } from './support/issue-cli.ts';
import { freshHome, repoRoot } from './support/run-cli.ts';
import { startServe, stopServes } from './support/serve-cli.ts';
import { readOutbox } from './support/subscription-outbox.ts';

// What happened after a send, as an editor reads it: SES's events (here the local SES's) are
// applied by the events handler in the background, so the counts are asked for again until
// they arrive.

const READERS = 4;
const WAIT_MS = 30_000;

/** The committed configuration with `changes`, written to the state folder; its path. */
async function configWith(home: string, changes: Record<string, unknown>): Promise<string> {
  const committed = JSON.parse(await readFile(join(repoRoot, 'newsletter.config.json'), 'utf8'));
  const path = join(home, 'newsletter.config.json');
  await writeFile(path, JSON.stringify({ ...committed, ...changes }, null, 2));
  return path;
}

/** `newsletter send --json` of everything imported; the issue's id. */
async function sendAll(cli: ReturnType<typeof cliOn>): Promise<string> {
  const sent = await cli(['send', '--json']);
  expect(sent.code, sent.stderr).toBe(0);
  const status = JSON.parse(sent.stdout) as { issueId: string; sent: number };
  expect(status.sent).toBe(READERS);
  return status.issueId;
}

describe('issues show and status after a send', () => {
  it('count every message delivered, once, and nothing else went wrong', async () => {
    const home = await freshHome();
    const cli = cliOn(home);
    await seed(home, cli, READERS);
    const issueId = await sendAll(cli);

    const report = await showUntil(cli, issueId, (shown) => shown.delivered === READERS, WAIT_MS);
    const status = await cli(['status', '--json']);
    const again = await show(cli, issueId);

    expect(report).toMatchObject({
      sent: READERS,
      delivered: READERS,
      bouncedPermanent: 0,
      bouncedTransient: 0,
      complained: 0,
      rejected: 0,
      delayed: 0,
      unsubscribed: 0,
    });
    // Opens and clicks are not tracked by default: no figure rather than a false 0.
    expect(report).not.toHaveProperty('opened');
    expect(report).not.toHaveProperty('clicked');
    expect(report).not.toHaveProperty('clicks');
    expect(JSON.parse(status.stdout)).toMatchObject({ issueId, delivered: READERS });
    // Asked again (and the events published again at the next start): still once each.
    expect(again.delivered).toBe(READERS);
    expect((await cli(['issues', 'show', issueId])).stdout).toContain(
      `Afterwards: ${READERS} delivered.`,
    );
  }, 90_000);

  it('count opens, clicks and each clicked link with trackEngagement, never the unsubscribe link', async () => {
    const home = await freshHome();
    const config = await configWith(home, { trackEngagement: true });
    const cli = cliOn(home, {
      NEWSLETTER_CONFIG: config,
      NEWSLETTER_LOCAL_SES_ENGAGEMENT: 'open=1,click=1',
    });
    await seed(home, cli, READERS);
    const issueId = await sendAll(cli);

    const done = (shown: IssueReport) =>
      shown.opened === READERS &&
      shown.clicked === READERS &&
      shown.delivered === READERS &&
      (shown.clicks ?? []).reduce((sum, link) => sum + link.clicks, 0) === READERS;
    const report = await showUntil(cli, issueId, done, WAIT_MS);

    expect(report).toMatchObject({
      sent: READERS,
      delivered: READERS,
      opened: READERS,
      clicked: READERS,
    });
    // Each reader clicked one link of the issue: the links and their readers add up.
    const clicks = report.clicks ?? [];
    expect(clicks.length).toBeGreaterThan(0);
    expect(clicks.reduce((sum, link) => sum + link.clicks, 0)).toBe(READERS);
    for (const { link } of clicks) {
      expect(link).toMatch(/^https?:\/\//);
      expect(link).not.toContain('/unsubscribe');
      expect(link).not.toContain('token=');
    }
    const status = JSON.parse((await cli(['status', issueId, '--json'])).stdout);
    expect(status).toMatchObject({ opened: READERS, clicked: READERS, clicks });
    expect(readers(READERS).every((address) => !JSON.stringify(report).includes(address))).toBe(
      true,
    );
    expect(await outboxRecords(home, issueId)).toHaveLength(READERS);
  }, 90_000);
});

describe('issues show after readers leave and SES reports trouble', () => {
  afterEach(stopServes);

  it('counts a bounce, a complaint and each unsubscribe through the issue’s link or header once', async () => {
    const home = await freshHome();
    const { cli } = await startServe(home);
    await cli(['import', join(repoRoot, 'samples/articles/midnight-museum-tour.txt')]);
    const addresses = [
      'by.header@example.com',
      'by.link@example.com',
      'bounce@simulator.amazonses.com',
      'complaint@simulator.amazonses.com',
    ];
    expect((await cli(['subscribers', 'add', ...addresses])).code).toBe(0);
    const sent = await cli(['send', '--json']);
    expect(sent.code, sent.stderr).toBe(0);
    const issueId = JSON.parse(sent.stdout).issueId as string;
    const messages = (await readOutbox(home)).filter((m) => m.record.tags.issueId === issueId);
    const to = (address: string) => messages.find((m) => m.record.destinations[0] === address);
    // One reader leaves through the List-Unsubscribe header (one-click, as a mail client does),
    // the other through the link at the foot of the issue (the page's button posts the same).
    const header = to('by.header@example.com')?.listUnsubscribe ?? '';
    const footer =
      parse(String(to('by.link@example.com')?.mail.html))
        .querySelectorAll('a')
        .find((a) => a.text.trim() === 'Unsubscribe')
        ?.getAttribute('href') ?? '';
    const leave = (url: string) =>
      fetch(url, {
        method: 'POST',
        body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
      });

    const answers = [await leave(header), await leave(footer), await leave(header)];

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    const report = await showUntil(
      cli,
      issueId,
      (shown) => shown.bouncedPermanent === 1 && shown.complained === 1,
      WAIT_MS,
    );
    expect(report).toMatchObject({
      sent: 4,
      delivered: 3,
      bouncedPermanent: 1,
      complained: 1,
      unsubscribed: 2,
    });
  }, 90_000);
});
