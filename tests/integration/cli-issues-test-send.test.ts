import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ARTICLES, type Cli, draft, perAddress, reader, seed } from './support/issue-cli.ts';
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
    expect(
      withoutRecipient(
        String(real?.mail.html),
        { unsubscribeUrl: realLink, name: 'Reader 1' },
        base,
      ),
    ).toBe(withoutRecipient(testHtml, { unsubscribeUrl: testLink, name: 'Reader 1' }, base));
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
