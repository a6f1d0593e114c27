import { describe, expect, it } from 'vitest';
import {
  ARTICLES,
  cliOn,
  draft,
  list,
  outboxRecords,
  perAddress,
  reader,
  seed,
  show,
} from './support/issue-cli.ts';
import { freshHome } from './support/run-cli.ts';

describe('issues send of an outdated draft', () => {
  it('is refused (exit 1, asking to render it again) once another issue began sending its articles, and is sent once rendered again', async () => {
    const home = await freshHome();
    const cli = cliOn(home);
    await seed(home, cli, 1);
    const older = await draft(cli, [ARTICLES.museum, ARTICLES.vegetables]);
    // `send` drafts the next issue from every new article, the draft's ones included.
    const other = await cli(['send', '--json']);
    expect(other.code, other.stderr).toBe(0);
    const otherId = JSON.parse(other.stdout).issueId as string;
    const mailedBefore = (await outboxRecords(home)).length;

    const refused = await cli(['issues', 'send', older.issueId]);

    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`newsletter issues render ${older.issueId}`);
    expect(refused.stderr).toContain(otherId);
    expect((await outboxRecords(home)).length).toBe(mailedBefore);
    const afterRefusal = await show(cli, older.issueId);
    expect(afterRefusal).toMatchObject({ state: 'draft', version: 1 });
    expect(afterRefusal.timeline).toEqual(older.timeline);

    const rendered = await cli(['issues', 'render', older.issueId, '--json']);
    expect(rendered.code, rendered.stderr).toBe(0);
    expect(JSON.parse(rendered.stdout)).toMatchObject({ state: 'draft', version: 2 });
    const sent = await cli(['issues', 'send', older.issueId, '--json']);

    expect(sent.code, sent.stderr).toBe(0);
    expect(JSON.parse(sent.stdout)).toMatchObject({ state: 'sent', version: 2, sent: 1 });
    expect(await perAddress(home, older.issueId)).toEqual({ [reader(1)]: 1 });
  });
});

describe('status and actions an issue’s state does not allow', () => {
  it('status without an id never shows a draft: none while there are only drafts, then the last sent issue rather than a newer draft', async () => {
    const home = await freshHome();
    const cli = cliOn(home);
    await seed(home, cli, 1);
    await draft(cli, [ARTICLES.museum]);

    const onlyDraft = await cli(['status', '--json']);

    expect(onlyDraft.code, onlyDraft.stderr).toBe(0);
    expect(JSON.parse(onlyDraft.stdout)).toMatchObject({ issueId: null, recipients: 0 });
    expect(onlyDraft.stderr).toContain('No issue sent yet');

    const sent = await draft(cli, [ARTICLES.vegetables]);
    expect((await cli(['issues', 'send', sent.issueId])).code).toBe(0);
    const newer = await draft(cli, [ARTICLES.lighthouse]);
    const latest = await cli(['status', '--json']);
    const latestText = await cli(['status']);

    expect(latest.code, latest.stderr).toBe(0);
    expect(JSON.parse(latest.stdout)).toMatchObject({
      issueId: sent.issueId,
      state: 'sent',
      sent: 1,
    });
    expect(latestText.stdout).toContain(sent.issueId);
    expect(latestText.stdout).not.toContain(newer.issueId);
  });

  it('refuses to resume a sent issue and to test a cancelled one (exit 1, naming the state) and changes neither', async () => {
    const home = await freshHome();
    const cli = cliOn(home);
    await seed(home, cli, 1);
    const sent = await draft(cli, [ARTICLES.museum]);
    expect((await cli(['issues', 'send', sent.issueId])).code).toBe(0);
    const cancelled = await draft(cli, [ARTICLES.vegetables]);
    expect((await cli(['issues', 'cancel', cancelled.issueId])).code).toBe(0);
    const [sentBefore, cancelledBefore] = [
      await show(cli, sent.issueId),
      await show(cli, cancelled.issueId),
    ];
    const mailedBefore = (await outboxRecords(home)).length;

    const resumed = await cli(['issues', 'resume', sent.issueId]);
    const tested = await cli(['issues', 'test', cancelled.issueId, '--to', reader(1)]);

    expect(resumed.code).toBe(1);
    expect(resumed.stderr).toContain(`Issue ${sent.issueId} is sent`);
    expect(tested.code).toBe(1);
    expect(tested.stderr).toContain(`Issue ${cancelled.issueId} is cancelled`);
    expect(sentBefore.state).toBe('sent');
    expect(cancelledBefore.state).toBe('cancelled');
    expect(await show(cli, sent.issueId)).toEqual(sentBefore);
    expect(await show(cli, cancelled.issueId)).toEqual(cancelledBefore);
    expect((await outboxRecords(home)).length).toBe(mailedBefore);
    expect((await list(cli)).map((issue) => issue.state).sort()).toEqual(['cancelled', 'sent']);
  });
});
