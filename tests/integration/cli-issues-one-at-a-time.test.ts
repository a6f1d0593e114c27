import { afterEach, describe, expect, it } from 'vitest';
import {
  ARTICLES,
  cliOn,
  draft,
  list,
  oncePer,
  outboxRecords,
  perAddress,
  readers,
  seed,
  show,
  startCli,
  stopBackground,
  whenOutboxHolds,
} from './support/issue-cli.ts';
import type { CliResult } from './support/run-cli.ts';
import { freshHome } from './support/run-cli.ts';
import { startServe, stopServes } from './support/serve-cli.ts';

afterEach(async () => {
  await stopBackground();
  await stopServes();
});

const SUBSCRIBERS = 3;

/** Whether a command's error says the list sends one issue at a time, naming `issueId`. */
function refusedFor(stderr: string, issueId: string): boolean {
  return stderr.includes(`Issue ${issueId} is sending`) && stderr.includes('one issue at a time');
}

/**
 * What one of two `send` commands did about the issue `issueId`: started it, followed it
 * (it was sending already when the command looked), or was refused because it was being
 * sent (both drafted, the other took the list's sending slot first). Anything else is told
 * in full, to fail the test readably.
 */
function outcomeOf(result: CliResult, issueId: string): string {
  if (result.code === 0 && result.stderr.includes(`Sending issue ${issueId}`)) return 'started';
  if (result.code === 0 && result.stderr.includes(`Resuming issue ${issueId}`)) return 'followed';
  if (result.code === 1 && refusedFor(result.stderr, issueId)) return 'refused';
  return `exit ${result.code}: ${result.stderr}`;
}

/**
 * Runs two `send --json` at once on `home` and checks that exactly one issue went out, once
 * to each subscriber, and that one command started it while the other was refused or
 * followed it.
 */
async function twoSendsAtOnce(home: string) {
  const cli = cliOn(home);
  const first = startCli(home, ['send', '--json']);
  const second = startCli(home, ['send', '--json']);
  const results = await Promise.all([first.ended, second.ended]);

  // One issue sent; a draft that the command that lost made is cancelled, not left a draft.
  const started = (await list(cli)).filter((issue) => issue.state !== 'cancelled');
  expect(started.map((issue) => issue.state)).toEqual(['sent']);
  const issueId = started[0]?.issueId ?? '';
  expect(await perAddress(home, issueId)).toEqual(oncePer(readers(SUBSCRIBERS)));
  expect(await outboxRecords(home)).toHaveLength(SUBSCRIBERS);
  const outcomes = results.map((result) => outcomeOf(result, issueId)).sort();
  // One started the issue; the other was refused naming it, or (had it looked once the
  // issue was sending) followed it to the end.
  expect([
    ['refused', 'started'],
    ['followed', 'started'],
  ]).toContainEqual(outcomes);
}

describe('one issue at a time', () => {
  it('two `send` at once while `serve` runs start one issue, mailed once to each subscriber; the other command is refused naming it, or follows it', async () => {
    const home = await freshHome();
    const { cli } = await startServe(home);
    await seed(home, cli, SUBSCRIBERS);

    await twoSendsAtOnce(home);
  }, 90_000);

  it('two `send` at once on a folder no command serves start one issue, mailed once to each subscriber; the other command is refused naming it, or follows it', async () => {
    const home = await freshHome();
    await seed(home, cliOn(home), SUBSCRIBERS);

    await twoSendsAtOnce(home);
  }, 90_000);

  it('refuses (exit 1) to send a second draft while an issue is sending, naming that issue, and mails nothing of the draft', async () => {
    const home = await freshHome();
    const cli = cliOn(home);
    await seed(home, cli, 20);
    const sending = await draft(cli, [ARTICLES.museum]);
    const waiting = await draft(cli, [ARTICLES.vegetables]);
    const first = startCli(home, ['issues', 'send', sending.issueId, '--rate', '2']);
    await whenOutboxHolds(home, sending.issueId, 1, { timeoutMs: 30_000, gaveUp: first.ended });

    const refused = await cli(['issues', 'send', waiting.issueId]);

    expect(refused.code).toBe(1);
    expect(refusedFor(refused.stderr, sending.issueId), refused.stderr).toBe(true);
    const stillWaiting = await show(cli, waiting.issueId);
    expect(stillWaiting.state).toBe('draft');
    expect(stillWaiting.timeline).toEqual(waiting.timeline);
    expect(await outboxRecords(home, waiting.issueId)).toEqual([]);
    // The issue sending was not disturbed: it ends, once to each subscriber.
    const ended = await first.ended;
    expect(ended.code, ended.stderr).toBe(0);
    expect(await perAddress(home, sending.issueId)).toEqual(oncePer(readers(20)));
  }, 90_000);
});
