import { afterEach, describe, expect, it } from 'vitest';
import {
  ARTICLES,
  cliOn,
  draft,
  outboxRecords,
  seed,
  showUntil,
  startCli,
  stopBackground,
  whenOutboxHolds,
} from './support/issue-cli.ts';
import { freshHome } from './support/run-cli.ts';

afterEach(stopBackground);

/** Enough recipients that marking them cancelled takes the senders more than a moment. */
const SUBSCRIBERS = 300;

describe('issues cancel of a paused issue', () => {
  it('run while no other command runs the services, leaves nobody counted as queued: each recipient not mailed ends cancelled', async () => {
    const home = await freshHome();
    const cli = cliOn(home);
    await seed(home, cli, SUBSCRIBERS);
    const { issueId } = await draft(cli, [ARTICLES.museum]);
    const sending = startCli(home, ['issues', 'send', issueId, '--rate', '5']);
    await whenOutboxHolds(home, issueId, 3, { timeoutMs: 30_000, gaveUp: sending.ended });
    sending.child.kill('SIGINT');
    const paused = await sending.ended;
    expect(paused.code, paused.stdout + paused.stderr).toBe(0);

    const cancelled = await cli(['issues', 'cancel', issueId]);

    expect(cancelled.code, cancelled.stderr).toBe(0);
    // The senders mark the records left as cancelled: the counts may take a moment.
    const shown = await showUntil(cli, issueId, (report) => report.queued === 0, 10_000);
    const mailed = (await outboxRecords(home, issueId)).length;
    expect(shown).toMatchObject({
      state: 'cancelled',
      recipients: SUBSCRIBERS,
      queued: 0,
      sent: mailed,
      cancelled: SUBSCRIBERS - mailed,
    });
  }, 90_000);
});
