import { simpleParser } from 'mailparser';
import { parse } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { addressHash } from '#core/common/address-hash.ts';
import { MailNotSentError, MailRejectedError } from '#core/sending/mail-errors.ts';
import type { OutgoingMessage } from '#core/sending/ports.ts';
import { addSubscriber } from '#core/subscribers/add-subscriber.ts';
import {
  confirmSubscription,
  previewConfirmation,
} from '#core/subscribers/confirm-subscription.ts';
import { forgetSubscriber } from '#core/subscribers/forget-subscriber.ts';
import { importSubscribers } from '#core/subscribers/import-subscribers.ts';
import { FIRST_KID } from '#core/subscribers/link-keys.ts';
import { parseSubscriberCsv } from '#core/subscribers/parse-subscriber-csv.ts';
import { sendDueConfirmations } from '#core/subscribers/send-due-confirmations.ts';
import { subscribe } from '#core/subscribers/subscribe.ts';
import { signSubscriberToken } from '#core/subscribers/subscriber-token.ts';
import { suppressAddress } from '#core/subscribers/suppress-address.ts';
import { unsubscribe } from '#core/subscribers/unsubscribe.ts';
import { memorySubscriptionDeps } from '../fakes/memory-subscription-stores.ts';

type Deps = ReturnType<typeof memorySubscriptionDeps>;

/** The token of the `/confirm` link in a confirmation email, as its reader would find it. */
async function confirmToken(message: OutgoingMessage | undefined): Promise<string> {
  const mail = await simpleParser(Buffer.from(message?.raw ?? []));
  const link = /https:\/\/news\.example\.com\/confirm\?token=([\w.-]+)/.exec(mail.text ?? '');
  if (!link?.[1]) throw new Error('no confirmation link in the message');
  return link[1];
}

/** A sign-up on the form, and the run of the queue that stores it and mails its link. */
async function signUp(deps: Deps, input: { email: string; name?: string }) {
  await subscribe(deps, input);
  return sendDueConfirmations(deps);
}

async function pendingReader(deps: Deps, email = 'reader@example.org') {
  await signUp(deps, { email, name: 'Reader' });
  return {
    token: await confirmToken(deps.mailer.sent.at(-1)),
    ...(deps.subscribers.items[0] ?? {}),
  };
}

const bounce = {
  reason: 'bounce',
  detail: 'Permanent/General',
  at: '2025-03-01T00:00:00.000Z',
} as const;

describe('subscribe, then sendDueConfirmations', () => {
  it('adds a new address as pending and mails it a link to confirm on the public site', async () => {
    const deps = memorySubscriptionDeps();

    const outcome = await signUp(deps, { email: 'reader@example.org', name: 'Reader' });

    expect(outcome).toEqual({ stored: 1, sent: 1, dropped: 0 });
    expect(deps.subscribers.items).toEqual([
      expect.objectContaining({ email: 'reader@example.org', status: 'pending', source: 'form' }),
    ]);
    const [message] = deps.mailer.sent;
    const mail = await simpleParser(Buffer.from(message?.raw ?? []));
    expect(message?.to).toBe('reader@example.org');
    expect(mail.subject).toBe('Confirm your subscription to The Weekly Slide');
    const links = parse(mail.html || '')
      .querySelectorAll('a[href]')
      .map((link) => link.getAttribute('href'));
    expect(links).toContainEqual(
      expect.stringMatching(/^https:\/\/news\.example\.com\/confirm\?token=[\w.-]+$/),
    );
    expect(mail.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line).toBe(
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    );
    expect(message?.tags).toEqual({ purpose: 'confirm', subscriberId: expect.any(String) });
  });

  it('only queues the sign-up: nothing is stored or mailed until the queue is worked', async () => {
    const deps = memorySubscriptionDeps();

    await subscribe(deps, { email: 'reader@example.org', name: 'Reader' });

    expect(deps.subscribers.items).toEqual([]);
    expect(deps.mailer.sent).toEqual([]);
    expect([...deps.signups.requests.values()]).toEqual([
      expect.objectContaining({ email: 'reader@example.org', name: 'Reader' }),
    ]);
  });

  it('mails an address that asks again only once the resend interval has passed', async () => {
    const deps = memorySubscriptionDeps();
    await signUp(deps, { email: 'reader@example.org' });

    const soon = await signUp(deps, { email: 'Reader@Example.org' });
    deps.clock.advance(11);
    const later = await signUp(deps, { email: 'reader@example.org' });

    expect([soon.sent, later.sent]).toEqual([0, 1]);
    expect(deps.mailer.sent).toHaveLength(2);
    expect(deps.subscribers.items).toHaveLength(1);
  });

  it('sends one email to an address asked for many times at once', async () => {
    const deps = memorySubscriptionDeps();
    for (let i = 0; i < 5; i++) await subscribe(deps, { email: 'reader@example.org' });

    const outcome = await sendDueConfirmations(deps);

    expect(outcome).toEqual({ stored: 5, sent: 1, dropped: 4 });
    expect(deps.mailer.sent).toHaveLength(1);
  });

  it('sends nothing to an active subscriber and leaves it active', async () => {
    const deps = memorySubscriptionDeps();
    await addSubscriber(deps, { email: 'reader@example.org' }, { source: 'cli' });

    const outcome = await signUp(deps, { email: 'reader@example.org' });

    expect(outcome).toEqual({ stored: 0, sent: 0, dropped: 1 });
    expect(deps.mailer.sent).toEqual([]);
    expect(deps.subscribers.items[0]?.status).toBe('active');
  });

  it('sends nothing to an address suppressed after a bounce, even once it was forgotten', async () => {
    const deps = memorySubscriptionDeps();
    await addSubscriber(deps, { email: 'gone@example.org' }, { source: 'cli' });
    await suppressAddress(deps, 'gone@example.org', bounce);
    await forgetSubscriber(deps, deps.subscribers.items[0] as never);

    const outcome = await signUp(deps, { email: 'gone@example.org' });

    expect(outcome).toEqual({ stored: 0, sent: 0, dropped: 1 });
    expect(deps.mailer.sent).toEqual([]);
    expect(deps.subscribers.items).toEqual([]);
  });

  it('keeps a confirmation the mail service did not take for the next run', async () => {
    const deps = memorySubscriptionDeps();
    deps.mailer.fail = () => new MailNotSentError('Throttling: Maximum sending rate exceeded.');
    const refused = await signUp(deps, { email: 'reader@example.org' });
    deps.mailer.fail = () => undefined;

    const next = await sendDueConfirmations(deps);

    expect(refused).toEqual({
      stored: 1,
      sent: 0,
      dropped: 0,
      deferred: { reason: 'mail-service' },
    });
    expect(next).toEqual({ stored: 0, sent: 1, dropped: 0 });
    expect(deps.mailer.sent.map((message) => message.to)).toEqual(['reader@example.org']);
  });

  it('drops an address the mail service refuses for good, without failing', async () => {
    const deps = memorySubscriptionDeps();
    deps.mailer.fail = () => new MailRejectedError('MessageRejected: Address blacklisted.');

    const outcome = await signUp(deps, { email: 'reader@example.org' });

    expect(outcome).toEqual({ stored: 1, sent: 0, dropped: 1 });
    expect(deps.signups.due.size).toBe(0);
  });
});

describe('confirmSubscription', () => {
  it('activates the subscriber the link was mailed to', async () => {
    const deps = memorySubscriptionDeps();
    const { token } = await pendingReader(deps);

    const outcome = await confirmSubscription(deps, token);

    expect(outcome).toBe('confirmed');
    expect(deps.subscribers.items[0]).toMatchObject({
      status: 'active',
      confirmedAt: '2025-03-07T08:00:00.000Z',
    });
  });

  it('changes nothing when the same link is used again', async () => {
    const deps = memorySubscriptionDeps();
    const { token } = await pendingReader(deps);
    await confirmSubscription(deps, token);
    const before = structuredClone(deps.subscribers.items);

    const again = await confirmSubscription(deps, token);

    expect(again).toBe('already-confirmed');
    expect(deps.subscribers.items).toEqual(before);
  });

  it('only previews on GET: the subscriber stays pending', async () => {
    const deps = memorySubscriptionDeps();
    const { token } = await pendingReader(deps);

    const outcome = await previewConfirmation(deps, token);

    expect(outcome).toBe('ready');
    expect(deps.subscribers.items[0]?.status).toBe('pending');
  });

  it('refuses a link older than confirmLinkHours', async () => {
    const deps = memorySubscriptionDeps();
    const { token } = await pendingReader(deps);
    deps.clock.advance(48 * 60 + 1);

    const outcome = await confirmSubscription(deps, token);

    expect(outcome).toBe('expired');
    expect(deps.subscribers.items[0]?.status).toBe('pending');
  });

  it('does not bring back someone who unsubscribed after the link was mailed', async () => {
    const deps = memorySubscriptionDeps();
    const { token, id } = await pendingReader(deps);
    await unsubscribe(
      deps,
      signSubscriberToken(deps.linkKeys.keys.newest, id as string, 'unsubscribe'),
    );

    const outcome = await confirmSubscription(deps, token);

    expect(outcome).toBe('used');
    expect(deps.subscribers.items[0]?.status).toBe('unsubscribed');
  });

  it('refuses a link signed with another key', async () => {
    const deps = memorySubscriptionDeps();
    const { id } = await pendingReader(deps);
    const forged = signSubscriberToken(
      { kid: FIRST_KID, key: new Uint8Array(32) },
      id as string,
      'confirm',
      {
        issuedAt: deps.now(),
      },
    );

    expect(await confirmSubscription(deps, forged)).toBe('invalid');
    expect(deps.subscribers.items[0]?.status).toBe('pending');
  });

  it('lets someone who unsubscribed come back by confirming a new request', async () => {
    const deps = memorySubscriptionDeps();
    const { token, id } = await pendingReader(deps);
    await confirmSubscription(deps, token);
    await unsubscribe(
      deps,
      signSubscriberToken(deps.linkKeys.keys.newest, id as string, 'unsubscribe'),
    );
    deps.clock.advance(1);

    await signUp(deps, { email: 'reader@example.org' });
    const outcome = await confirmSubscription(deps, await confirmToken(deps.mailer.sent.at(-1)));

    expect(outcome).toBe('confirmed');
    expect(deps.subscribers.items).toEqual([
      expect.objectContaining({ id, status: 'active', source: 'form' }),
    ]);
  });
});

describe('unsubscribe', () => {
  it('unsubscribes the subscriber of the link and notes the issue it came from', async () => {
    const deps = memorySubscriptionDeps();
    const { subscriber } = await addSubscriber(deps, { email: 'a@example.org' }, { source: 'cli' });
    const token = signSubscriberToken(deps.linkKeys.keys.newest, subscriber.id, 'unsubscribe', {
      issueId: '01JISSUE000000000000000000',
    });

    const outcome = await unsubscribe(deps, token);

    expect(outcome).toBe('unsubscribed');
    expect(deps.subscribers.items[0]).toMatchObject({
      status: 'unsubscribed',
      unsubscribedVia: 'issue:01JISSUE000000000000000000',
    });
  });

  it('answers the same, changing nothing, when the link is used again', async () => {
    const deps = memorySubscriptionDeps();
    const { subscriber } = await addSubscriber(deps, { email: 'a@example.org' }, { source: 'cli' });
    const token = signSubscriberToken(deps.linkKeys.keys.newest, subscriber.id, 'unsubscribe');
    await unsubscribe(deps, token);
    const before = structuredClone(deps.subscribers.items);

    const again = await unsubscribe(deps, token);

    expect(again).toBe('already-unsubscribed');
    expect(deps.subscribers.items).toEqual(before);
  });
});

describe('addSubscriber', () => {
  it('never changes the status of someone who unsubscribed', async () => {
    const deps = memorySubscriptionDeps();
    const { subscriber } = await addSubscriber(deps, { email: 'a@example.org' }, { source: 'cli' });
    await unsubscribe(
      deps,
      signSubscriberToken(deps.linkKeys.keys.newest, subscriber.id, 'unsubscribe'),
    );

    const again = await addSubscriber(deps, { email: 'A@example.org' }, { source: 'import' });

    expect(again).toMatchObject({ created: false, subscriber: { status: 'unsubscribed' } });
  });

  it('brings a forgotten address that bounced back suppressed, with the reason kept', async () => {
    const deps = memorySubscriptionDeps();
    await addSubscriber(deps, { email: 'gone@example.org' }, { source: 'cli' });
    await suppressAddress(deps, 'gone@example.org', bounce);
    await forgetSubscriber(deps, deps.subscribers.items[0] as never);

    const back = await addSubscriber(deps, { email: 'gone@example.org' }, { source: 'import' });

    expect(back).toMatchObject({
      created: true,
      heldBy: 'bounce',
      subscriber: { status: 'suppressed', suppression: bounce },
    });
  });

  it('brings a forgotten address back unsubscribed rather than active', async () => {
    const deps = memorySubscriptionDeps();
    const { subscriber } = await addSubscriber(deps, { email: 'a@example.org' }, { source: 'cli' });
    await forgetSubscriber(deps, subscriber);

    const back = await addSubscriber(deps, { email: 'a@example.org' }, { source: 'cli' });

    expect(back.subscriber).toMatchObject({ status: 'unsubscribed', unsubscribedVia: 'forgotten' });
  });
});

describe('forgetSubscriber', () => {
  it('erases the address everywhere, keeping only a keyed hash of it', async () => {
    const deps = memorySubscriptionDeps();
    const { subscriber } = await addSubscriber(deps, { email: 'a@example.org' }, { source: 'cli' });

    const kept = await forgetSubscriber(deps, subscriber);

    expect(kept.reason).toBe('forgotten');
    expect(deps.subscribers.items).toEqual([]);
    expect(deps.ledger.erased).toEqual([subscriber.id]);
    expect([...deps.suppressions.items.keys()]).toEqual([
      addressHash(deps.hashKey, 'a@example.org'),
    ]);
    expect(JSON.stringify([...deps.suppressions.items])).not.toContain('example.org');
  });
});

describe('importSubscribers', () => {
  it('adds the good rows active, the editor vouching for them, and reports the bad ones', async () => {
    const deps = memorySubscriptionDeps();
    const parsed = parseSubscriberCsv('email\na@example.org\nnope\nb@example.org\n');

    const summary = await importSubscribers(deps, parsed);

    expect(summary).toMatchObject({ rows: 2, added: { active: 2 }, stopped: false });
    expect(summary.errors).toEqual([{ line: 3, message: '"nope" is not an email address' }]);
    expect(deps.mailer.sent).toEqual([]);
  });

  it('with strict imports nothing when a row is bad', async () => {
    const deps = memorySubscriptionDeps();
    const parsed = parseSubscriberCsv('email\na@example.org\nnope\n');

    const summary = await importSubscribers(deps, parsed, { strict: true });

    expect(summary.stopped).toBe(true);
    expect(deps.subscribers.items).toEqual([]);
  });

  it('with confirm adds new addresses pending and mails each a confirmation', async () => {
    const deps = memorySubscriptionDeps();
    await addSubscriber(deps, { email: 'old@example.org' }, { source: 'cli' });
    const parsed = parseSubscriberCsv(
      'email\nold@example.org\nnew1@example.org\nnew2@example.org\n',
    );

    const summary = await importSubscribers(deps, parsed, { confirm: true });

    expect(summary).toMatchObject({
      added: { pending: 2 },
      unchanged: { active: 1 },
      confirmationsSent: 2,
    });
    expect(deps.mailer.sent.map((message) => message.to).sort()).toEqual([
      'new1@example.org',
      'new2@example.org',
    ]);
  });
});
