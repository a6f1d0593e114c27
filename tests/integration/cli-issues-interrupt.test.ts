import { afterEach, describe, expect, it } from 'vitest';
import {
  ARTICLES,
  cliOn,
  draft,
  outboxRecords,
  seed,
  show,
  startCli,
  stopBackground,
  whenOutboxHolds,
} from './support/issue-cli.ts';
import { freshHome } from './support/run-cli.ts';

afterEach(stopBackground);

const SUBSCRIBERS = 30;

describe('Ctrl-C while following a send', () => {
  it('pauses the issue, prints the resume command and exits 0; `send` then refuses (exit 1) naming `issues resume`, and mails nothing', async () => {
    const home = await freshHome();
    const cli = cliOn(home);
    await seed(home, cli, SUBSCRIBERS);
    const { issueId } = await draft(cli, [ARTICLES.museum]);
    const follower = startCli(home, ['issues', 'send', issueId, '--rate', '2']);
    await whenOutboxHolds(home, issueId, 3, { timeoutMs: 30_000, gaveUp: follower.ended });

    follower.child.kill('SIGINT');
    const interrupted = await follower.ended;

    expect(interrupted.code, interrupted.stdout + interrupted.stderr).toBe(0);
    expect(interrupted.stdout).toContain(`newsletter issues resume ${issueId}`);
    const shown = await show(cli, issueId);
    expect(shown.state).toBe('paused');
    expect(shown.timeline.at(-1)).toMatchObject({
      action: 'pause',
      actor: expect.stringMatching(/^cli:/),
    });
    expect(shown.sent).toBeLessThan(SUBSCRIBERS);
    const mailed = (await outboxRecords(home)).length;

    const refused = await cli(['send']);

    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`newsletter issues resume ${issueId}`);
    expect((await outboxRecords(home)).length).toBe(mailed);
    expect(await show(cli, issueId)).toEqual(shown);
  }, 90_000);
});
