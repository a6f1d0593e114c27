import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freshHome, repoRoot } from './support/run-cli.ts';
import { startServe, stopServes } from './support/serve-cli.ts';
import { type OutboxMessage, outboxOnce, readOutbox } from './support/subscription-outbox.ts';

const articles = join(repoRoot, 'samples/articles');

afterEach(stopServes);

async function statusOf(cli: (args: string[]) => Promise<{ stdout: string }>, email: string) {
  const list = JSON.parse((await cli(['subscribers', 'list', '--json'])).stdout) as {
    email: string;
    status: string;
  }[];
  return list.find((s) => s.email === email)?.status;
}

describe('double opt-in and one-click unsubscribe, end to end', () => {
  it('subscribes over HTTP, confirms from the outbox, sends, unsubscribes one-click, and the next issue skips the address', async () => {
    const home = await freshHome();
    const { base, cli } = await startServe(home);
    await cli(['import', join(articles, 'midnight-museum-tour.txt')]);
    await cli(['subscribers', 'add', 'other@example.com']);

    // Subscribe over HTTP, as the public form does.
    const subscribed = await fetch(`${base}/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=new.reader%40example.com&name=New+Reader',
    });
    expect(subscribed.status).toBe(202);

    // Follow the confirmation link from the outbox (serve mails it within seconds): GET
    // shows a button, POST confirms.
    const isConfirmation = (m: OutboxMessage) =>
      m.record.destinations[0] === 'new.reader@example.com';
    const confirmation = (await outboxOnce(home, (all) => all.some(isConfirmation))).find(
      isConfirmation,
    );
    const confirmUrl = /http:\/\/127\.0\.0\.1:\d+\/confirm\?token=[\w.-]+/.exec(
      confirmation?.mail.text ?? '',
    )?.[0];
    expect(confirmUrl?.startsWith(`${base}/confirm?token=`)).toBe(true);
    expect((await fetch(confirmUrl as string)).status).toBe(200);
    expect(await statusOf(cli, 'new.reader@example.com')).toBe('pending');
    expect((await fetch(confirmUrl as string, { method: 'POST' })).status).toBe(200);
    expect(await statusOf(cli, 'new.reader@example.com')).toBe('active');

    // The first issue reaches the new subscriber, with its own one-click link.
    const first = await cli(['send', '--json']);
    expect(first.code).toBe(0);
    const issue = (await readOutbox(home)).find(
      (m) => m.record.destinations[0] === 'new.reader@example.com' && m.record.tags.issueId,
    );
    const unsubscribeUrl = issue?.listUnsubscribe ?? '';
    expect(unsubscribeUrl.startsWith(`${base}/unsubscribe?token=`)).toBe(true);

    // A GET (a link scanner) changes nothing; a forged token changes nothing.
    expect((await fetch(unsubscribeUrl)).status).toBe(200);
    const forged = await fetch(`${unsubscribeUrl.slice(0, -3)}AAA`, {
      method: 'POST',
      body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
    });
    expect(forged.status).toBe(400);
    expect(await statusOf(cli, 'new.reader@example.com')).toBe('active');

    // One click, as a mail client does it: POST, no cookie, no redirect followed.
    const clicked = await fetch(unsubscribeUrl, {
      method: 'POST',
      body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
      redirect: 'manual',
      credentials: 'omit',
    });
    expect(clicked.status).toBe(200);
    expect(await statusOf(cli, 'new.reader@example.com')).toBe('unsubscribed');

    // The next issue goes to the other subscriber only.
    await cli(['import', join(articles, 'ugly-vegetable-menu.txt')]);
    const second = await cli(['send', '--json']);
    expect(second.code).toBe(0);
    const secondIssueId = JSON.parse(second.stdout).issueId as string;
    const secondRecipients = (await readOutbox(home))
      .filter((m) => m.record.tags.issueId === secondIssueId)
      .map((m) => m.record.destinations[0]);
    expect(secondRecipients).toEqual(['other@example.com']);
  });

  it('mails a link to leave, asked for on the unsubscribe page without a token, to a subscriber only; its one click unsubscribes', async () => {
    const home = await freshHome();
    const { base, cli } = await startServe(home);
    await cli(['subscribers', 'add', 'reader@example.com']);

    // The page an archived copy links to is a form for the address.
    const page = await fetch(`${base}/unsubscribe`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="email"');

    // A stranger first, then the subscriber: the same answer for both.
    const ask = (email: string) =>
      fetch(`${base}/unsubscribe`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email }).toString(),
      });
    const answers = [];
    for (const email of ['stranger@example.com', 'reader@example.com']) {
      const answer = await ask(email);
      answers.push({ status: answer.status, body: await answer.text() });
    }
    expect(answers[0]?.status).toBe(202);
    expect(answers[1]).toEqual(answers[0]);

    // serve's confirmations job (every 2 s) mails the link; the stranger's request, older,
    // was handled by then, and mailed nothing.
    const isLeaveLink = (m: OutboxMessage) => m.record.destinations[0] === 'reader@example.com';
    const outbox = await outboxOnce(home, (all) => all.some(isLeaveLink));
    expect(outbox.map((m) => m.record.destinations[0])).toEqual(['reader@example.com']);
    const mail = outbox.find(isLeaveLink);
    expect(mail?.mail.subject).toMatch(/^Your link to leave /);
    const link = mail?.listUnsubscribe ?? '';
    expect(link.startsWith(`${base}/unsubscribe?token=`)).toBe(true);
    expect(mail?.mail.text?.split('\n')).toContain(link);

    // A GET shows the button and changes nothing; one click, as a mail client does it, leaves.
    expect((await fetch(link)).status).toBe(200);
    expect(await statusOf(cli, 'reader@example.com')).toBe('active');
    const clicked = await fetch(link, {
      method: 'POST',
      body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
      redirect: 'manual',
      credentials: 'omit',
    });
    expect(clicked.status).toBe(200);
    expect(await statusOf(cli, 'reader@example.com')).toBe('unsubscribed');
  });

  it("suppresses SES's simulator bounce and complaint addresses from their events, and keeps success active", async () => {
    const home = await freshHome();
    const { cli } = await startServe(home);
    await cli(['import', join(articles, 'midnight-museum-tour.txt')]);
    const simulator = ['bounce', 'complaint', 'success'].map(
      (name) => `${name}@simulator.amazonses.com`,
    );
    await cli(['subscribers', 'add', ...simulator]);

    const sent = await cli(['send', '--json']);

    expect(sent.code).toBe(0);
    // Events travel SES → SNS → SQS → the ses-events handler in serve's process.
    const deadline = Date.now() + 30_000;
    let statuses: (string | undefined)[] = [];
    do {
      await new Promise((resolve) => setTimeout(resolve, 500));
      statuses = await Promise.all(simulator.map((email) => statusOf(cli, email)));
    } while (statuses.join() !== 'suppressed,suppressed,active' && Date.now() < deadline);
    expect(statuses).toEqual(['suppressed', 'suppressed', 'active']);
    const list = JSON.parse((await cli(['subscribers', 'list', '--json'])).stdout) as {
      email: string;
      suppression?: { reason: string };
    }[];
    const reasons = Object.fromEntries(list.map((s) => [s.email, s.suppression?.reason]));
    expect(reasons).toEqual({
      'bounce@simulator.amazonses.com': 'bounce',
      'complaint@simulator.amazonses.com': 'complaint',
      'success@simulator.amazonses.com': undefined,
    });
  });
});
