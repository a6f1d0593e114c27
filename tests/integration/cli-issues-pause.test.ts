import { afterEach, describe, expect, it } from 'vitest';
import {
  ARTICLES,
  type Cli,
  cliOn,
  draft,
  inFlightOf,
  oncePer,
  outboxRecords,
  perAddress,
  readers,
  seed,
  show,
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
/** Slow enough (30 s for the whole issue) that the issue is still sending when paused. */
const RATE = '2';
/**
 * How long the outbox is watched after the pause returned: at 2 messages/s, senders that
 * went on claiming would mail several more meanwhile.
 */
const SETTLE_MS = 3_000;

/**
 * Where the senders run: with `serve` up, in serve's process, which goes on running after
 * the command that sends stops following; without, in the process of `issues send`, the
 * first command on the folder, which the pause joins.
 */
const setups = [
  { where: 'while `serve` runs the services', serve: true },
  { where: 'while `issues send` runs the services', serve: false },
];

describe('issues pause and resume', () => {
  it.each(setups)(
    '$where: once `issues pause` returns, nothing more is mailed but the calls it said were in flight; the follower exits 0 naming who paused; `issues resume` mails every other address once',
    async ({ serve }) => {
      const home = await freshHome();
      const cli: Cli = serve ? (await startServe(home)).cli : cliOn(home);
      await seed(home, cli, SUBSCRIBERS);
      const { issueId } = await draft(cli, [ARTICLES.museum]);
      const follower = startCli(home, ['issues', 'send', issueId, '--rate', RATE]);
      await whenOutboxHolds(home, issueId, 3, { timeoutMs: 30_000, gaveUp: follower.ended });

      const paused = await cli(['issues', 'pause', issueId]);
      const atReturn = (await outboxRecords(home, issueId)).length;
      await sleep(SETTLE_MS);
      const settled = (await outboxRecords(home, issueId)).length;
      const followed = await follower.ended;

      expect(paused.code, paused.stderr).toBe(0);
      expect(paused.stdout).toMatch(/\d+ calls? to SES still finishing/);
      expect(settled - atReturn).toBeLessThanOrEqual(inFlightOf(paused));
      expect(settled).toBeLessThan(SUBSCRIBERS);
      expect(followed.code, followed.stdout + followed.stderr).toBe(0);
      expect(followed.stdout).toMatch(new RegExp(`Issue ${issueId} was paused by cli:\\S+`));
      expect(followed.stdout).toContain(`newsletter issues resume ${issueId}`);
      const shown = await show(cli, issueId);
      expect(shown).toMatchObject({ state: 'paused', recipients: SUBSCRIBERS });
      expect(shown.sent).toBe(settled);
      expect(shown.timeline.at(-1)).toMatchObject({
        action: 'pause',
        actor: expect.stringMatching(/^cli:/),
      });

      const resumed = await cli(['issues', 'resume', issueId, '--rate', '50', '--json']);

      expect(resumed.code, resumed.stderr).toBe(0);
      expect(JSON.parse(resumed.stdout)).toMatchObject({
        state: 'sent',
        recipients: SUBSCRIBERS,
        sent: SUBSCRIBERS,
      });
      expect(await perAddress(home, issueId)).toEqual(oncePer(readers(SUBSCRIBERS)));
    },
    120_000,
  );
});
