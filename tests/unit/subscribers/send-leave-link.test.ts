import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { MailNotSentError } from '#core/sending/mail-errors.ts';
import { addSubscriber } from '#core/subscribers/add-subscriber.ts';
import { requestLeaveLink } from '#core/subscribers/request-leave-link.ts';
import { sendDueConfirmations } from '#core/subscribers/send-due-confirmations.ts';
import { subscribe } from '#core/subscribers/subscribe.ts';
import { unsubscribe } from '#core/subscribers/unsubscribe.ts';
import { memorySubscriptionDeps } from '../fakes/memory-subscription-stores.ts';

// What the confirmations job does with the requests for a link to leave that the unsubscribe
// page without a token queues (`requestLeaveLink`).

type Deps = ReturnType<typeof memorySubscriptionDeps>;

function setup() {
  return memorySubscriptionDeps();
}

const mailedTo = (deps: Deps) => deps.mailer.sent.map((message) => message.to);
const statusOf = (deps: Deps, email: string) =>
  deps.subscribers.items.find((subscriber) => subscriber.email === email)?.status;

/** The `index`th email as its reader gets it, with the unsubscribe link of its text. */
async function mailAt(deps: Deps, index: number) {
  const mail = await simpleParser(Buffer.from(deps.mailer.sent[index]?.raw ?? []));
  const link = /https:\/\/news\.example\.com\/unsubscribe\?token=[\w.-]+/.exec(
    mail.text ?? '',
  )?.[0];
  const header = mail.headerLines.find((line) => line.key === 'list-unsubscribe')?.line;
  const post = mail.headerLines.find((line) => line.key === 'list-unsubscribe-post')?.line;
  return {
    mail,
    link,
    header,
    post,
    token: new URL(link ?? 'https://x').searchParams.get('token'),
  };
}

describe('a request for a link to leave, in the confirmations job', () => {
  it('mails a subscriber their one-click link, which unsubscribes them', async () => {
    const deps = setup();
    await addSubscriber(deps, { email: 'reader@example.org' }, { source: 'cli' });
    await requestLeaveLink(deps, { email: 'reader@example.org' });

    const outcome = await sendDueConfirmations(deps);

    expect(outcome).toEqual({ stored: 1, sent: 1, dropped: 0 });
    expect(mailedTo(deps)).toEqual(['reader@example.org']);
    expect(deps.mailer.sent[0]?.tags).toEqual({
      purpose: 'leave-link',
      subscriberId: deps.subscribers.items[0]?.id,
    });
    const { mail, link, header, post, token } = await mailAt(deps, 0);
    expect(mail.subject).toBe('Your link to leave The Weekly Slide');
    expect(link).toBeDefined();
    expect(header).toContain(`<${link}>`);
    expect(post).toContain('List-Unsubscribe=One-Click');
    expect(deps.signups.requests.size + deps.signups.due.size).toBe(0);

    expect(await unsubscribe(deps, token ?? '')).toBe('unsubscribed');
    expect(statusOf(deps, 'reader@example.org')).toBe('unsubscribed');
  });

  it('mails one to a sign-up still waiting for its confirmation, which it can leave by', async () => {
    const deps = setup();
    await subscribe(deps, { email: 'new@example.org' });
    await sendDueConfirmations(deps);
    deps.clock.advance(11);
    await requestLeaveLink(deps, { email: 'new@example.org' });

    await sendDueConfirmations(deps);

    expect(mailedTo(deps)).toEqual(['new@example.org', 'new@example.org']);
    const { mail, token } = await mailAt(deps, 1);
    expect(mail.subject).toBe('Your link to leave The Weekly Slide');
    expect(await unsubscribe(deps, token ?? '')).toBe('unsubscribed');
    expect(statusOf(deps, 'new@example.org')).toBe('unsubscribed');
  });

  it('finds the subscriber as the store compares addresses: trimmed, in any case', async () => {
    const deps = setup();
    await addSubscriber(deps, { email: 'reader@example.org' }, { source: 'cli' });
    await requestLeaveLink(deps, { email: '  Reader@EXAMPLE.org ' });

    await sendDueConfirmations(deps);

    expect(mailedTo(deps)).toEqual(['reader@example.org']);
  });

  it('mails nobody, and drops the request, for an address not on the list, left or suppressed', async () => {
    const deps = setup();
    for (const email of ['left@example.org', 'bounced@example.org']) {
      await addSubscriber(deps, { email }, { source: 'cli' });
    }
    const [left, bounced] = deps.subscribers.items;
    await deps.subscribers.update(left?.id ?? '', { status: 'unsubscribed' });
    await deps.subscribers.update(bounced?.id ?? '', {
      status: 'suppressed',
      suppression: { reason: 'bounce', detail: 'Permanent/General', at: deps.now().toISOString() },
    });
    for (const email of ['stranger@example.org', 'left@example.org', 'bounced@example.org']) {
      await requestLeaveLink(deps, { email });
    }
    const before = structuredClone(deps.subscribers.items);

    const outcome = await sendDueConfirmations(deps);

    expect(outcome).toEqual({ stored: 0, sent: 0, dropped: 3 });
    expect(deps.mailer.sent).toEqual([]);
    expect(deps.subscribers.items).toEqual(before);
    expect(deps.signups.requests.size + deps.signups.due.size).toBe(0);
  });

  it('drops a link due whose subscriber left before it went out', async () => {
    const deps = setup();
    deps.config.confirmationsPerHour = 1;
    await subscribe(deps, { email: 'new@example.org' });
    await addSubscriber(deps, { email: 'reader@example.org' }, { source: 'cli' });
    await requestLeaveLink(deps, { email: 'reader@example.org' });
    await sendDueConfirmations(deps);
    const reader = deps.subscribers.items.find((s) => s.email === 'reader@example.org');
    await deps.subscribers.update(reader?.id ?? '', { status: 'unsubscribed' });
    deps.clock.advance(60);

    const next = await sendDueConfirmations(deps);

    expect(next).toEqual({ stored: 0, sent: 0, dropped: 1 });
    expect(mailedTo(deps)).toEqual(['new@example.org']);
  });

  it('shares the hourly budget with the confirmations, in the order things were asked', async () => {
    const deps = setup();
    deps.config.confirmationsPerHour = 2;
    await addSubscriber(deps, { email: 'reader@example.org' }, { source: 'cli' });
    await subscribe(deps, { email: 'first@example.org' });
    deps.clock.time = new Date(deps.clock.time.getTime() + 1000);
    await requestLeaveLink(deps, { email: 'reader@example.org' });
    deps.clock.time = new Date(deps.clock.time.getTime() + 1000);
    await subscribe(deps, { email: 'second@example.org' });

    const first = await sendDueConfirmations(deps);
    deps.clock.advance(60);
    const hourLater = await sendDueConfirmations(deps);

    expect(first).toEqual({
      stored: 3,
      sent: 2,
      dropped: 0,
      deferred: { reason: 'budget', until: new Date('2025-03-07T09:00:02.000Z') },
    });
    expect(hourLater).toEqual({ stored: 0, sent: 1, dropped: 0 });
    expect(mailedTo(deps)).toEqual([
      'first@example.org',
      'reader@example.org',
      'second@example.org',
    ]);
  });

  it('mails an address once per interval, counting its confirmation and its links alike', async () => {
    const deps = setup();
    await subscribe(deps, { email: 'new@example.org' });
    await sendDueConfirmations(deps);
    deps.clock.advance(5);
    await requestLeaveLink(deps, { email: 'new@example.org' });
    const tooSoon = await sendDueConfirmations(deps);
    deps.clock.advance(6);
    await requestLeaveLink(deps, { email: 'new@example.org' });
    await requestLeaveLink(deps, { email: 'new@example.org' });

    const later = await sendDueConfirmations(deps);

    expect(tooSoon).toEqual({ stored: 1, sent: 0, dropped: 1 });
    expect(later).toEqual({ stored: 2, sent: 1, dropped: 1 });
    expect(mailedTo(deps)).toEqual(['new@example.org', 'new@example.org']);
  });

  it('keeps the link due for the next run when the mail service took nothing', async () => {
    const deps = setup();
    await addSubscriber(deps, { email: 'reader@example.org' }, { source: 'cli' });
    await requestLeaveLink(deps, { email: 'reader@example.org' });
    deps.mailer.fail = () => new MailNotSentError('Throttling: Maximum sending rate exceeded.');

    const failed = await sendDueConfirmations(deps);
    deps.mailer.fail = () => undefined;
    const next = await sendDueConfirmations(deps);

    expect(failed).toEqual({
      stored: 1,
      sent: 0,
      dropped: 0,
      deferred: { reason: 'mail-service' },
    });
    expect(next).toEqual({ stored: 0, sent: 1, dropped: 0 });
    expect(mailedTo(deps)).toEqual(['reader@example.org']);
  });
});
