import { afterEach, describe, expect, it } from 'vitest';
import {
  ARTICLES,
  type Cli,
  cliOn,
  draft,
  inFlightOf,
  outboxRecords,
  perAddress,
  seed,
  showUntil,
  sleep,
  startCli,
  stopBackground,
  whenOutboxHolds,
} from './support/issue-cli.ts';
import { freshHome } from './support/run-cli.ts';
import { startServe, stopServes } from './support/serve-cli.ts';

afterEach(async () => {
  await stopBackground();
  await stopServes();
});

const SUBSCRIBERS = 60;
/** Slow enough (30 s for the whole issue) that the issue is still sending when cancelled. */
const RATE = '2';
/** How long the outbox is watched after the cancel returned. */
const SETTLE_MS = 3_000;

/** Where the senders run: see cli-issues-pause.test.ts. */
const setups = [
  { where: 'while `serve` runs the services', serve: true },
  { where: 'while `issues send` runs the services', serve: false },
];

describe('issues cancel', () => {
  it.each(setups)(
    '$where: once `issues cancel` returns, nobody more is mailed but the calls it said were in flight; the follower exits 0 naming who cancelled; the issue ends cancelled with every recipient counted',
    async ({ serve }) => {
      const home = await freshHome();
      const cli: Cli = serve ? (await startServe(home)).cli : cliOn(home);
      await seed(home, cli, SUBSCRIBERS);
      const { issueId } = await draft(cli, [ARTICLES.museum]);
      const follower = startCli(home, ['issues', 'send', issueId, '--rate', RATE]);
      await whenOutboxHolds(home, issueId, 3, { timeoutMs: 30_000, gaveUp: follower.ended });

      const cancelled = await cli(['issues', 'cancel', issueId]);
      const atReturn = (await outboxRecords(home, issueId)).length;
      await sleep(SETTLE_MS);
      const settled = (await outboxRecords(home, issueId)).length;
      const followed = await follower.ended;

      expect(cancelled.code, cancelled.stderr).toBe(0);
      expect(cancelled.stdout).toContain(`Cancelled issue ${issueId}`);
      expect(settled - atReturn).toBeLessThanOrEqual(inFlightOf(cancelled));
      expect(settled).toBeLessThan(SUBSCRIBERS);
      expect(Math.max(...Object.values(await perAddress(home, issueId)))).toBe(1);
      expect(followed.code, followed.stdout + followed.stderr).toBe(0);
      expect(followed.stdout).toMatch(new RegExp(`Issue ${issueId} was cancelled by cli:\\S+`));
      // The senders mark the records left as cancelled: the counts may take a moment.
      const shown = await showUntil(cli, issueId, (report) => report.queued === 0, 15_000);
      expect(shown).toMatchObject({
        state: 'cancelled',
        recipients: SUBSCRIBERS,
        queued: 0,
        sent: settled,
        cancelled: SUBSCRIBERS - settled,
      });
      expect(shown.recipients).toBe(
        shown.queued + shown.sent + shown.failed + shown.unknown + shown.cancelled,
      );
      // Nothing was mailed while the counts settled either.
      expect((await outboxRecords(home, issueId)).length).toBe(settled);
    },
    120_000,
  );
});
