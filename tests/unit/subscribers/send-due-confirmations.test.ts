import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { confirmSubscription } from '#core/subscribers/confirm-subscription.ts';
import { sendDueConfirmations } from '#core/subscribers/send-due-confirmations.ts';
import { subscribe } from '#core/subscribers/subscribe.ts';
import { signSubscriberToken } from '#core/subscribers/subscriber-token.ts';
import { unsubscribe } from '#core/subscribers/unsubscribe.ts';
import { memorySubscriptionDeps } from '../fakes/memory-subscription-stores.ts';

type Deps = ReturnType<typeof memorySubscriptionDeps>;

/** Sign-ups on the form for `reader1@…` to `reader<count>@…`, a second apart, in that order. */
async function signUps(deps: Deps, count: number, from = 1) {
  for (let n = from; n < from + count; n++) {
    await subscribe(deps, { email: `reader${n}@example.org` });
    deps.clock.time = new Date(deps.clock.time.getTime() + 1000);
  }
}

const mailedTo = (deps: Deps) => deps.mailer.sent.map((message) => message.to);

/** The token of the confirmation link in the `index`th email, as its reader would find it. */
async function tokenIn(deps: Deps, index: number): Promise<string> {
  const mail = await simpleParser(Buffer.from(deps.mailer.sent[index]?.raw ?? []));
  return /\/confirm\?token=([\w.-]+)/.exec(mail.text ?? '')?.[1] ?? '';
}

describe('the hourly budget of confirmation emails', () => {
  it('mails up to confirmationsPerHour, oldest sign-up first, and stores every sign-up at once', async () => {
    const deps = memorySubscriptionDeps();
    deps.config.confirmationsPerHour = 3;
    await signUps(deps, 5);

    const outcome = await sendDueConfirmations(deps);

    expect(mailedTo(deps)).toEqual([
      'reader1@example.org',
      'reader2@example.org',
      'reader3@example.org',
    ]);
    expect(deps.subscribers.items.map((subscriber) => subscriber.status)).toEqual(
      Array(5).fill('pending'),
    );
    expect(outcome).toEqual({
      stored: 5,
      sent: 3,
      dropped: 0,
      deferred: { reason: 'budget', until: new Date('2025-03-07T09:00:05.000Z') },
    });
  });

  it('mails the waiting confirmations once the hour from the first is over, and not before', async () => {
    const deps = memorySubscriptionDeps();
    deps.config.confirmationsPerHour = 3;
    await signUps(deps, 5);
    await sendDueConfirmations(deps);
    deps.clock.advance(30);

    const halfway = await sendDueConfirmations(deps);
    deps.clock.advance(30);
    const hourLater = await sendDueConfirmations(deps);

    expect(halfway.sent).toBe(0);
    expect(hourLater).toEqual({ stored: 0, sent: 2, dropped: 0 });
    expect(mailedTo(deps)).toEqual([
      'reader1@example.org',
      'reader2@example.org',
      'reader3@example.org',
      'reader4@example.org',
      'reader5@example.org',
    ]);
  });

  it('holds the budget across the runs of every instance: they share the counter', async () => {
    const deps = memorySubscriptionDeps();
    deps.config.confirmationsPerHour = 2;
    const other = { ...deps, config: { ...deps.config } };
    await signUps(deps, 2);
    await sendDueConfirmations(deps);
    await signUps(deps, 2, 3);

    const second = await sendDueConfirmations(other);

    expect(second.sent).toBe(0);
    expect(mailedTo(deps)).toEqual(['reader1@example.org', 'reader2@example.org']);
  });

  it('spends no budget on sign-ups that need no email', async () => {
    const deps = memorySubscriptionDeps();
    deps.config.confirmationsPerHour = 1;
    for (let i = 0; i < 3; i++) await subscribe(deps, { email: 'twice@example.org' });
    await subscribe(deps, { email: 'other@example.org' });
    await sendDueConfirmations(deps);
    deps.clock.advance(60);

    const next = await sendDueConfirmations(deps);

    expect(mailedTo(deps)).toEqual(['twice@example.org', 'other@example.org']);
    expect(next.sent).toBe(1);
  });

  it('gives a link that confirms even when it went out an hour after the sign-up', async () => {
    const deps = memorySubscriptionDeps();
    deps.config.confirmationsPerHour = 1;
    await signUps(deps, 2);
    await sendDueConfirmations(deps);
    deps.clock.advance(60);
    await sendDueConfirmations(deps);
    const late = deps.subscribers.items.find((s) => s.email === 'reader2@example.org');

    const outcome = await confirmSubscription(deps, await tokenIn(deps, 1));

    expect(outcome).toBe('confirmed');
    expect(deps.subscribers.items.find((s) => s.id === late?.id)?.status).toBe('active');
  });

  it('drops a waiting confirmation whose subscriber has since left', async () => {
    const deps = memorySubscriptionDeps();
    deps.config.confirmationsPerHour = 1;
    await signUps(deps, 2);
    await sendDueConfirmations(deps);
    const second = deps.subscribers.items.find((s) => s.email === 'reader2@example.org');
    await deps.subscribers.remove(second?.id ?? '');
    deps.clock.advance(60);

    const next = await sendDueConfirmations(deps);

    expect(next).toEqual({ stored: 0, sent: 0, dropped: 1 });
    expect(mailedTo(deps)).toEqual(['reader1@example.org']);
    expect(deps.signups.due.size).toBe(0);
  });
});

describe('a sign-up older than pendingDays', () => {
  it('is never mailed, stored or not, when the job comes back after so long', async () => {
    const deps = memorySubscriptionDeps();
    deps.config.confirmationsPerHour = 1;
    await signUps(deps, 2);
    await sendDueConfirmations(deps);
    await subscribe(deps, { email: 'unstored@example.org' });
    deps.clock.advance(30 * 24 * 60 + 1);

    const outcome = await sendDueConfirmations(deps);

    expect(outcome).toEqual({ stored: 0, sent: 0, dropped: 2 });
    expect(mailedTo(deps)).toEqual(['reader1@example.org']);
    expect(deps.subscribers.items.map((subscriber) => subscriber.email)).toEqual([
      'reader1@example.org',
      'reader2@example.org',
    ]);
  });
});

describe('the erasure date of a sign-up', () => {
  it('is set on a pending subscriber, from its last email, and removed once it is confirmed', async () => {
    const deps = memorySubscriptionDeps();
    await subscribe(deps, { email: 'reader@example.org' });
    await sendDueConfirmations(deps);
    const pending = structuredClone(deps.subscribers.items[0]);

    await confirmSubscription(deps, await tokenIn(deps, 0));

    // pendingDays (30) and two days more, from the sign-up at 08:00.
    expect(pending?.eraseAfter).toBe('2025-04-08T08:00:00.000Z');
    expect(deps.subscribers.items[0]?.status).toBe('active');
    expect(deps.subscribers.items[0]).not.toHaveProperty('eraseAfter');
  });

  it('is never set on someone who left and asks to come back', async () => {
    const deps = memorySubscriptionDeps();
    await subscribe(deps, { email: 'reader@example.org' });
    await sendDueConfirmations(deps);
    const id = deps.subscribers.items[0]?.id ?? '';
    await confirmSubscription(deps, await tokenIn(deps, 0));
    await unsubscribe(deps, signSubscriberToken(deps.linkKeys.keys.newest, id, 'unsubscribe'));
    deps.clock.advance(11);

    await subscribe(deps, { email: 'reader@example.org' });
    await sendDueConfirmations(deps);

    expect(deps.mailer.sent).toHaveLength(2);
    expect(deps.subscribers.items[0]?.status).toBe('unsubscribed');
    expect(deps.subscribers.items[0]).not.toHaveProperty('eraseAfter');
  });
});
