import { describe, expect, it } from 'vitest';
import type { RenderedIssue } from '#core/rendering/render-issue.ts';
import { MailNotSentError, MailRejectedError } from '#core/sending/mail-errors.ts';
import type { Mailer, OutgoingMessage, SendPage } from '#core/sending/ports.ts';
import { Sender } from '#core/sending/sender.ts';
import type { Subscriber } from '#core/subscribers/ports.ts';
import { verifySubscriberToken } from '#core/subscribers/subscriber-token.ts';
import {
  FakeEventBacklog,
  ManualClock,
  MemoryRenderedIssueStore,
} from '../fakes/memory-sending.ts';
import {
  MemoryIssueStore,
  MemorySendLedger,
  MemorySubscriberStore,
} from '../fakes/memory-stores.ts';

const ISSUE = '01JISSUE000000000000000000';
const UNSUBSCRIBE = 'nlm_unsubscribeUrl_0123456789abcdef0123';
const NAME = 'nlm_name_fedcba9876543210fedc';
const WINDOW_SECONDS = 60;
const START = Date.parse('2026-11-27T08:00:00Z');

type Outcome = 'sent' | 'throttled' | 'rejected' | 'reset' | 'lost';

/** A mailer whose answer per call a test decides; `accepted` is what the service took. */
class ScriptedMailer implements Mailer {
  readonly accepted: OutgoingMessage[] = [];
  calls = 0;
  answer: (message: OutgoingMessage, call: number) => Outcome = () => 'sent';
  async send(message: OutgoingMessage) {
    const outcome = this.answer(message, ++this.calls);
    if (outcome === 'throttled')
      throw new MailNotSentError('Throttling: Maximum sending rate exceeded.');
    if (outcome === 'rejected') {
      throw new MailRejectedError(`MessageRejected: Address blacklisted: ${message.to}`);
    }
    if (outcome === 'reset') throw new Error('socket hang up');
    this.accepted.push(message);
    if (outcome === 'lost') throw new Error('socket hang up');
    return { messageId: `ses-${this.accepted.length}` };
  }
  /** How many messages each recipient was sent. */
  perRecipient() {
    const counts = new Map<string, number>();
    for (const message of this.accepted) counts.set(message.to, (counts.get(message.to) ?? 0) + 1);
    return counts;
  }
}

const rendered: RenderedIssue = {
  issueId: ISSUE,
  subject: 'The week in pictures',
  html: `<p>Hello ${NAME}</p><a href="${UNSUBSCRIBE}">Unsubscribe</a>`,
  text: `Hello ${NAME}\nUnsubscribe: ${UNSUBSCRIBE}\n`,
  markers: { unsubscribeUrl: UNSUBSCRIBE, name: NAME },
};

function subscriber(n: number, status: Subscriber['status'] = 'active'): Subscriber {
  return {
    id: `01JSUB${String(n).padStart(20, '0')}`,
    email: `reader${n}@example.com`,
    status,
    source: 'cli',
    createdAt: '2026-11-01T00:00:00Z',
  };
}

async function setup(count: number, options: { rate?: number } = {}) {
  const clock = new ManualClock();
  const issues = new MemoryIssueStore();
  const ledger = new MemorySendLedger();
  const subscribers = new MemorySubscriberStore();
  const renderedIssues = new MemoryRenderedIssueStore();
  const mailer = new ScriptedMailer();
  const events = new FakeEventBacklog();
  await issues.create({
    issueId: ISSUE,
    createdAt: '2026-11-27T07:59:00Z',
    subject: rendered.subject,
    articleIds: ['a'],
    status: 'sending',
    rate: options.rate ?? 1000,
    preparedAt: '2026-11-27T07:59:01Z',
  });
  await renderedIssues.put(rendered);
  const all = Array.from({ length: count }, (_, i) => subscriber(i + 1));
  for (const s of all) await subscribers.add(s);
  await ledger.addMissing(
    ISSUE,
    all.map((s) => ({ subscriberId: s.id, status: 'queued' as const })),
    '2026-11-27T07:59:01Z',
  );
  let claims = 0;
  const deps = {
    config: {
      sendRate: 14,
      sendConcurrency: 2,
      listName: 'The Weekly Slide',
      listId: 'weekly.example.com',
      fromEmail: 'digest@example.com',
      publicBaseUrl: 'https://news.example.com',
    },
    unknownWindowSeconds: WINDOW_SECONDS,
    issues,
    ledger,
    subscribers,
    renderedIssues,
    mailer,
    events,
    tokenKey: new Uint8Array(32).fill(7),
    newId: () => `01JCLAIM${String(++claims).padStart(18, '0')}`,
    now: () => new Date(START + clock.time),
    clock,
  };
  const page: SendPage = { issueId: ISSUE, subscriberIds: all.map((s) => s.id) };
  return { clock, ledger, subscribers, mailer, events, deps, page, all };
}

describe('Sender', () => {
  it('sends each queued recipient once and records SES’s MessageId', async () => {
    const { deps, page, mailer, ledger } = await setup(5);

    const outcome = await new Sender(deps).sendPage(page);

    expect(outcome).toMatchObject({ retry: false, counts: { sent: 5 } });
    expect(outcome.later).toBeUndefined();
    expect([...mailer.perRecipient().values()]).toEqual([1, 1, 1, 1, 1]);
    expect(
      (await ledger.list(ISSUE)).map((r) => [r.status, r.messageId?.startsWith('ses-')]),
    ).toEqual(Array(5).fill(['sent', true]));
  });

  it('tags each message with the issue, the subscriber and the claim, and signs its link', async () => {
    const { deps, page, mailer, ledger, all } = await setup(1);

    await new Sender(deps).sendPage(page);

    const [message] = mailer.accepted;
    const [record] = await ledger.list(ISSUE);
    expect(message?.tags).toEqual({
      issueId: ISSUE,
      subscriberId: all[0]?.id,
      claim: record?.claim,
    });
    const raw = Buffer.from(message?.raw ?? [])
      .toString('latin1')
      .replace(/\r\n[ \t]+/g, ' ');
    const token = /unsubscribe\?token=([^>\s]+)>/.exec(raw)?.[1] ?? '';
    expect(verifySubscriberToken(deps.tokenKey, token, 'unsubscribe')).toBe(all[0]?.id);
  });

  it('skips whoever is sent already when a page comes again', async () => {
    const { deps, page, mailer } = await setup(4);
    const sender = new Sender(deps);
    await sender.sendPage(page);

    const again = await sender.sendPage(page);

    expect(again.counts.done).toBe(4);
    expect(mailer.accepted).toHaveLength(4);
  });

  it('sends to nobody twice when two senders get the same page at once', async () => {
    const { deps, page, mailer } = await setup(20);

    const outcomes = await Promise.all([
      new Sender(deps).sendPage(page),
      new Sender(deps).sendPage(page),
    ]);

    expect(mailer.accepted).toHaveLength(20);
    expect(Math.max(...mailer.perRecipient().values())).toBe(1);
    // The loser of each race looks again a little later; by then the record is sent.
    expect(
      outcomes.flatMap((outcome) => outcome.later?.subscriberIds ?? []).length,
    ).toBeLessThanOrEqual(20);
  });

  it('tries a throttled recipient again after a pause, and counts it sent once', async () => {
    const { deps, page, mailer, ledger, clock } = await setup(1);
    mailer.answer = (_message, call) => (call <= 2 ? 'throttled' : 'sent');

    const outcome = await new Sender(deps).sendPage(page);

    expect(outcome).toMatchObject({ retry: false, counts: { sent: 1 } });
    expect(mailer.calls).toBe(3);
    expect(clock.sleeps.filter((ms) => ms >= 50)).toHaveLength(2);
    expect((await ledger.list(ISSUE))[0]?.status).toBe('sent');
  });

  it('gives a recipient back to the queue when SES keeps refusing to take it, with nothing counted', async () => {
    const { deps, page, mailer, ledger } = await setup(1);
    mailer.answer = () => 'throttled';

    const outcome = await new Sender(deps).sendPage(page);

    expect(outcome.retry).toBe(true);
    expect(mailer.accepted).toHaveLength(0);
    const [record] = await ledger.list(ISSUE);
    expect(record?.status).toBe('queued');
    expect(record?.claim).toBeUndefined();
  });

  it('records a message SES rejects as failed, without the address', async () => {
    const { deps, page, mailer, ledger } = await setup(1);
    mailer.answer = () => 'rejected';

    const outcome = await new Sender(deps).sendPage(page);

    expect(outcome).toMatchObject({ retry: false, counts: { failed: 1 } });
    const [record] = await ledger.list(ISSUE);
    expect(record).toMatchObject({ status: 'failed' });
    expect(record?.error).toContain('MessageRejected');
    expect(record?.error).not.toContain('@');
  });

  it('marks a send with no answer unknown and looks at it again after the window', async () => {
    const { deps, page, mailer, ledger } = await setup(1);
    mailer.answer = () => 'lost';

    const outcome = await new Sender(deps).sendPage(page);

    expect(outcome.later).toEqual({
      subscriberIds: page.subscriberIds,
      delaySeconds: WINDOW_SECONDS,
    });
    expect((await ledger.list(ISSUE))[0]?.status).toBe('unknown');
  });

  it('never sends an unknown message again inside the window', async () => {
    const { deps, page, mailer, clock } = await setup(1);
    mailer.answer = (_message, call) => (call === 1 ? 'lost' : 'sent');
    const sender = new Sender(deps);
    await sender.sendPage(page);
    clock.time += (WINDOW_SECONDS - 5) * 1000;

    const outcome = await sender.sendPage(page);

    expect(outcome.later?.delaySeconds).toBeLessThanOrEqual(5);
    expect(mailer.accepted).toHaveLength(1);
  });

  it('sends an unknown message again once the window passed with no Send event and no backlog', async () => {
    const { deps, page, mailer, ledger, clock } = await setup(1);
    mailer.answer = (_message, call) => (call === 1 ? 'reset' : 'sent');
    const sender = new Sender(deps);
    await sender.sendPage(page);
    clock.time += WINDOW_SECONDS * 1000;

    const outcome = await sender.sendPage(page);

    expect(outcome.counts.sent).toBe(1);
    expect(mailer.accepted).toHaveLength(1);
    expect((await ledger.list(ISSUE))[0]?.status).toBe('sent');
  });

  it('waits while SES events are still to be applied, even after the window', async () => {
    const { deps, page, mailer, events, clock } = await setup(1);
    mailer.answer = (_message, call) => (call === 1 ? 'reset' : 'sent');
    const sender = new Sender(deps);
    await sender.sendPage(page);
    clock.time += WINDOW_SECONDS * 1000;
    events.drained = false;

    const outcome = await sender.sendPage(page);

    expect(outcome.later?.subscriberIds).toEqual(page.subscriberIds);
    expect(mailer.calls).toBe(1);
  });

  it('treats a claim left by a sender that died inside the SES call like an unknown outcome', async () => {
    const { deps, page, mailer, ledger, all, clock } = await setup(1);
    const id = all[0]?.id ?? '';
    await ledger.update(
      ISSUE,
      id,
      { status: ['queued'] },
      { status: 'claimed', claim: 'dead' },
      new Date(START).toISOString(),
    );
    const sender = new Sender(deps);

    const early = await sender.sendPage(page);
    clock.time += WINDOW_SECONDS * 1000;
    const late = await sender.sendPage(page);

    expect(early.counts.later).toBe(1);
    expect(late.counts.sent).toBe(1);
    expect(mailer.accepted).toHaveLength(1);
  });

  it('keeps a message sent when its Send event was applied before SES’s answer came', async () => {
    const { deps, page, ledger, all } = await setup(1);
    const id = all[0]?.id ?? '';
    ledger.beforeUpdate = (_id, change) => {
      // The event arrives between the SES call and the sender's own record of the answer.
      if (change.status === 'sent' && change.messageId === 'ses-1') {
        ledger.beforeUpdate = () => {};
        void ledger.update(
          ISSUE,
          id,
          { status: ['claimed', 'unknown'] },
          { status: 'sent', messageId: 'ses-1' },
          'event',
        );
      }
    };

    const outcome = await new Sender(deps).sendPage(page);

    expect(outcome.counts.sent).toBe(1);
    expect((await ledger.list(ISSUE))[0]).toMatchObject({ status: 'sent', messageId: 'ses-1' });
  });

  it('skips a subscriber who left since the issue was prepared, counting them suppressed', async () => {
    const { deps, page, mailer, ledger, subscribers, all } = await setup(2);
    await subscribers.update(all[1]?.id ?? '', { status: 'unsubscribed' });

    const outcome = await new Sender(deps).sendPage(page);

    expect(outcome.counts).toMatchObject({ sent: 1, suppressed: 1 });
    expect(mailer.accepted.map((m) => m.to)).toEqual(['reader1@example.com']);
    expect((await ledger.list(ISSUE)).map((r) => r.status)).toEqual(['sent', 'suppressed']);
  });

  it('leaves the rest of a page for later when its time runs out', async () => {
    const { deps, page, mailer } = await setup(10, { rate: 20 });

    // At 10 messages a second per sender, half a second is enough for about five.
    const outcome = await new Sender(deps).sendPage(page, START + 450);

    expect(mailer.accepted.length).toBeGreaterThan(0);
    expect(mailer.accepted.length).toBeLessThan(10);
    expect(outcome.later).toMatchObject({ delaySeconds: 0 });
    expect(outcome.later?.subscriberIds).toHaveLength(10 - mailer.accepted.length);
  });

  it('paces each sender at its share of the issue’s rate', async () => {
    const { deps, page, clock } = await setup(21, { rate: 20 });

    await new Sender(deps).sendPage(page);

    // 20 per second shared by 2 senders: 21 messages take 2 s for one sender.
    expect(clock.time).toBeGreaterThanOrEqual(1900);
    expect(clock.time).toBeLessThan(2100);
  });

  it('renews a claim that waited for its token longer than is safe before calling SES', async () => {
    // 0.05 a second for 2 senders: the second recipient waits 40 s for its token.
    const { deps, page, mailer, ledger, all } = await setup(2, { rate: 0.05 });
    const claims: string[] = [];
    ledger.beforeUpdate = (id, change) => {
      if (id === all[1]?.id && change.status === 'claimed' && change.claim)
        claims.push(change.claim);
    };

    await new Sender(deps).sendPage(page);

    expect(claims).toHaveLength(2);
    expect(mailer.accepted[1]?.tags.claim).toBe(claims[1]);
    expect((await ledger.list(ISSUE))[1]).toMatchObject({ status: 'sent', claim: claims[1] });
  });

  it('does nothing with a page of an issue that is done', async () => {
    const { deps, page, mailer } = await setup(3);
    await deps.issues.markDone(ISSUE);

    const outcome = await new Sender(deps).sendPage(page);

    expect(outcome).toMatchObject({ retry: false });
    expect(mailer.calls).toBe(0);
  });
});
