import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ARTICLES,
  type Cli,
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
import { startServe, stopServes } from './support/serve-cli.ts';
import { type OutboxMessage, readOutbox } from './support/subscription-outbox.ts';

afterEach(stopServes);

/** The messages of the outbox that are test sends of `issueId`. */
async function testsOf(home: string, issueId: string): Promise<OutboxMessage[]> {
  return (await readOutbox(home)).filter((message) => message.record.tags.testOf === issueId);
}

/** `subscribers list --json`, as a map of address to status. */
async function statuses(cli: Cli): Promise<Record<string, string>> {
  const listed = await cli(['subscribers', 'list', '--json']);
  expect(listed.code, listed.stderr).toBe(0);
  const all = JSON.parse(listed.stdout) as { email: string; status: string }[];
  return Object.fromEntries(all.map((subscriber) => [subscriber.email, subscriber.status]));
}

/**
 * A message's HTML with one recipient's own values put back as the copy that belongs to
 * nobody has them (`issues/<id>.html`): the bare unsubscribe page, and no name. Line ends are
 * made LF, as quoted-printable carries them as CRLF.
 */
function withoutRecipient(
  html: string,
  recipient: { unsubscribeUrl: string; name: string },
  base: string,
): string {
  return html
    .replace(/\r\n/g, '\n')
    .split(recipient.unsubscribeUrl)
    .join(`${base}/unsubscribe`)
    .split(recipient.name)
    .join('');
}

describe('issues test', () => {
  it('mails the draft exactly as rendered, but for the recipient’s own unsubscribe link and name, under a subject starting [TEST], as subscribers then get it', async () => {
    const home = await freshHome();
    const { base, cli } = await startServe(home);
    await seed(home, cli, 2);
    const drafted = await draft(cli, [ARTICLES.museum]);
    const publicHtml = await readFile(join(home, 'issues', `${drafted.issueId}.html`), 'utf8');

    const tested = await cli(['issues', 'test', drafted.issueId, '--to', reader(1)]);
    const [test, ...more] = await testsOf(home, drafted.issueId);

    expect(tested.code, tested.stderr).toBe(0);
    expect(more).toEqual([]);
    expect(test?.record.destinations).toEqual([reader(1)]);
    expect(test?.mail.subject).toBe(`[TEST] ${drafted.subject}`);
    const testLink = test?.listUnsubscribe ?? '';
    expect(testLink.startsWith(`${base}/unsubscribe?token=`)).toBe(true);
    // The footer links to the same page as the List-Unsubscribe header.
    expect(test?.mail.html).toContain(`href="${testLink}"`);
    const testHtml = String(test?.mail.html);
    expect(withoutRecipient(testHtml, { unsubscribeUrl: testLink, name: 'Reader 1' }, base)).toBe(
      publicHtml.replace(/\r\n/g, '\n'),
    );

    // What the subscriber then gets of the issue is the test but for its link and subject.
    const sent = await cli(['issues', 'send', drafted.issueId]);
    expect(sent.code, sent.stderr).toBe(0);
    const real = (await readOutbox(home)).find(
      (message) =>
        message.record.tags.issueId === drafted.issueId &&
        message.record.destinations[0] === reader(1),
    );
    const realLink = real?.listUnsubscribe ?? '';
    expect(realLink.startsWith(`${base}/unsubscribe?token=`)).toBe(true);
    expect(realLink).not.toBe(testLink);
    expect(`[TEST] ${real?.mail.subject}`).toBe(test?.mail.subject);
    expect(withoutRecipient(String(real?.mail.html), { unsubscribeUrl: realLink, name: 'Reader 1' }, base)).toBe(
      withoutRecipient(testHtml, { unsubscribeUrl: testLink, name: 'Reader 1' }, base),
    );
  });

  it('gives an unsubscribe link that shows the page (GET) and answers a one-click POST, yet leaves the subscriber it went to active', async () => {
    const home = await freshHome();
    const { base, cli } = await startServe(home);
    await seed(home, cli, 2);
    const drafted = await draft(cli, [ARTICLES.museum]);
    const tested = await cli(['issues', 'test', drafted.issueId, '--to', reader(1)]);
    expect(tested.code, tested.stderr).toBe(0);
    const [test] = await testsOf(home, drafted.issueId);
    const link = test?.listUnsubscribe ?? '';
    expect(link.startsWith(`${base}/unsubscribe?token=`)).toBe(true);
    const before = await statuses(cli);

    const page = await fetch(link);
    const clicked = await fetch(link, {
      method: 'POST',
      body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
      redirect: 'manual',
      credentials: 'omit',
    });

    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<button type="submit">Unsubscribe</button>');
    expect(clicked.status).toBe(200);
    expect(await clicked.text()).toContain('You are unsubscribed');
    expect(before).toEqual({ [reader(1)]: 'active', [reader(2)]: 'active' });
    expect(await statuses(cli)).toEqual(before);
    // And the issue still goes to them.
    const sent = await cli(['issues', 'send', drafted.issueId]);
    expect(sent.code, sent.stderr).toBe(0);
    expect(await perAddress(home, drafted.issueId)).toEqual({ [reader(1)]: 1, [reader(2)]: 1 });
  });
});

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
