import { describe, expect, it } from 'vitest';
import { awaitSenders, CLOCK_SKEW_MS } from '#core/issues/await-senders.ts';
import type { Issue } from '#core/issues/ports.ts';
import { renderHash } from '#core/rendering/render-hash.ts';
import type { RenderedIssue } from '#core/rendering/render-issue.ts';
import { LEASE_MS } from '#core/sending/issue-lease.ts';
import { MailNotSentError, MailRejectedError } from '#core/sending/mail-errors.ts';
import type { Mailer, OutgoingMessage, SendPage } from '#core/sending/ports.ts';
import { splitIntoPages } from '#core/sending/send-pacing.ts';
import { noCounts, Sender } from '#core/sending/sender.ts';
import type { Subscriber } from '#core/subscribers/ports.ts';
import { checkSubscriberToken } from '#core/subscribers/subscriber-token.ts';
import { MemoryLinkKeys } from '../fakes/memory-link-keys.ts';
import { MemorySendLeases } from '../fakes/memory-send-leases.ts';
import {
  FakeEventBacklog,
  MemoryRenderedIssueStore,
  SteppedClock,
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
  preheader: 'Slides of the week',
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
  const clock = new SteppedClock();
  const issues = new MemoryIssueStore();
  const ledger = new MemorySendLedger();
  const subscribers = new MemorySubscriberStore();
  const renderedIssues = new MemoryRenderedIssueStore();
  const mailer = new ScriptedMailer();
  const events = new FakeEventBacklog();
  const leases = new MemorySendLeases();
  await issues.create({
    issueId: ISSUE,
    createdAt: '2026-11-27T07:59:00Z',
    subject: rendered.subject,
    articleIds: ['a'],
    state: 'sending',
    version: 1,
    sha256: renderHash(rendered),
    renderedAt: '2026-11-27T07:58:00Z',
    timeline: [],
    rate: options.rate ?? 1000,
    preparedAt: '2026-11-27T07:59:01Z',
  });
  await renderedIssues.put(rendered, renderHash(rendered));
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
    leases,
    subscribers,
    renderedIssues,
    mailer,
    events,
    linkKeys: new MemoryLinkKeys(new Uint8Array(32).fill(7)),
    newId: () => `01JCLAIM${String(++claims).padStart(18, '0')}`,
    now: () => new Date(START + clock.time),
    clock,
  };
  const page: SendPage = { issueId: ISSUE, subscriberIds: all.map((s) => s.id) };
  /** Sends the page to its end, the clock moving whenever every recipient waits on it. */
  const send = (sender: Sender, deadline?: number) => clock.run(sender.sendPage(page, deadline));
  /** Writes the issue's state as an editor's pause or cancel would. */
  const moveTo = (state: Issue['state']) => {
    const issue = issues.items.get(ISSUE);
    if (issue) issue.state = state;
  };
  return {
    clock,
    issues,
    ledger,
    leases,
    subscribers,
    mailer,
    events,
    deps,
    page,
    all,
    send,
    moveTo,
  };
}

describe('Sender', () => {
  it('sends each queued recipient once and records SES’s MessageId', async () => {
    const { deps, send, mailer, ledger } = await setup(5);

    const outcome = await send(new Sender(deps));

    expect(outcome).toMatchObject({ retry: false, counts: { sent: 5 } });
    expect(outcome.later).toBeUndefined();
    expect([...mailer.perRecipient().values()]).toEqual([1, 1, 1, 1, 1]);
    expect(
      (await ledger.list(ISSUE)).map((r) => [r.status, r.messageId?.startsWith('ses-')]),
    ).toEqual(Array(5).fill(['sent', true]));
  });

  it('tags each message with the issue, the subscriber and the claim, and signs its link', async () => {
    const { deps, send, mailer, ledger, all } = await setup(1);

    await send(new Sender(deps));

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
    expect(checkSubscriberToken(deps.linkKeys.keys, token, 'unsubscribe')).toEqual({
      valid: true,
      subscriberId: all[0]?.id,
      issueId: ISSUE,
    });
  });

  it('signs each page’s links with the newest link key as read for that page', async () => {
    const { deps, mailer, all, clock } = await setup(2);
    const sender = new Sender(deps);
    const tokenOf = (index: number) =>
      /unsubscribe\?token=([^>\s]+)>/.exec(
        Buffer.from(mailer.accepted[index]?.raw ?? [])
          .toString('latin1')
          .replace(/\r\n[ \t]+/g, ' '),
      )?.[1] ?? '';

    await clock.run(sender.sendPage({ issueId: ISSUE, subscriberIds: [all[0]?.id ?? ''] }));
    await deps.linkKeys.add('tb71c0', new Date('2026-03-01T00:00:00.000Z'));
    await clock.run(sender.sendPage({ issueId: ISSUE, subscriberIds: [all[1]?.id ?? ''] }));

    expect(tokenOf(0).split('.')).toHaveLength(3);
    expect(tokenOf(1)).toContain('.ktb71c0.');
    // Both keep working: the first key is kept.
    for (const [index, subscriber] of all.entries()) {
      expect(checkSubscriberToken(deps.linkKeys.keys, tokenOf(index), 'unsubscribe')).toEqual({
        valid: true,
        subscriberId: subscriber.id,
        issueId: ISSUE,
      });
    }
  });

  it('skips whoever is sent already when a page comes again', async () => {
    const { deps, send, mailer } = await setup(4);
    const sender = new Sender(deps);
    await send(sender);

    const again = await send(sender);

    expect(again.counts.done).toBe(4);
    expect(mailer.accepted).toHaveLength(4);
  });

  it('sends to nobody twice when two senders get the same page at once, the loser of each claim looking again later', async () => {
    const { deps, page, mailer, clock } = await setup(20);

    const outcomes = await clock.run(
      Promise.all([new Sender(deps).sendPage(page), new Sender(deps).sendPage(page)]),
    );

    expect(mailer.accepted).toHaveLength(20);
    expect(Math.max(...mailer.perRecipient().values())).toBe(1);
    // Both read every record queued: for each, one claim wins and the other sender lets go.
    const later = outcomes.flatMap((outcome) => (outcome.later ? [outcome.later] : []));
    expect(later.flatMap((each) => each.subscriberIds).sort()).toEqual(page.subscriberIds);
    expect(later.map((each) => each.delaySeconds)).toEqual(later.map(() => 2));
  });

  it('tries a throttled recipient again after a doubling pause, and counts it sent once', async () => {
    const { deps, send, mailer, ledger, clock } = await setup(1);
    mailer.answer = (_message, call) => (call <= 2 ? 'throttled' : 'sent');

    const outcome = await send(new Sender(deps));

    expect(outcome).toMatchObject({ retry: false, counts: { sent: 1 } });
    expect(mailer.calls).toBe(3);
    // Backoff from 100 ms, doubling, jittered down to half: [50, 100], then [100, 200].
    expect(clock.sleeps).toHaveLength(2);
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(50);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(100);
    expect(clock.sleeps[1]).toBeGreaterThanOrEqual(100);
    expect(clock.sleeps[1]).toBeLessThanOrEqual(200);
    expect((await ledger.list(ISSUE))[0]?.status).toBe('sent');
  });

  it('gives a recipient back to the queue, unclaimed, after SES refused to take it eight times', async () => {
    const { deps, send, mailer, ledger } = await setup(1);
    mailer.answer = () => 'throttled';

    const outcome = await send(new Sender(deps));

    expect(outcome).toMatchObject({ retry: true, counts: { retry: 1 } });
    expect(mailer.calls).toBe(8);
    expect(mailer.accepted).toHaveLength(0);
    const [record] = await ledger.list(ISSUE);
    expect(record?.status).toBe('queued');
    expect(record?.claim).toBeUndefined();
  });

  it('records a message SES rejects as failed, without the address', async () => {
    const { deps, send, mailer, ledger } = await setup(1);
    mailer.answer = () => 'rejected';

    const outcome = await send(new Sender(deps));

    expect(outcome).toMatchObject({ retry: false, counts: { failed: 1 } });
    const [record] = await ledger.list(ISSUE);
    expect(record).toMatchObject({ status: 'failed' });
    expect(record?.error).toContain('MessageRejected');
    expect(record?.error).not.toContain('@');
  });

  it('marks a send with no answer unknown and looks at it again after the window', async () => {
    const { deps, send, page, mailer, ledger } = await setup(1);
    mailer.answer = () => 'lost';

    const outcome = await send(new Sender(deps));

    expect(outcome.later).toEqual({
      subscriberIds: page.subscriberIds,
      delaySeconds: WINDOW_SECONDS,
    });
    expect((await ledger.list(ISSUE))[0]?.status).toBe('unknown');
  });

  it('never sends an unknown message again inside the window', async () => {
    const { deps, send, page, mailer, clock } = await setup(1);
    mailer.answer = (_message, call) => (call === 1 ? 'lost' : 'sent');
    const sender = new Sender(deps);
    await send(sender);
    clock.time += (WINDOW_SECONDS - 5) * 1000;

    const outcome = await send(sender);

    expect(outcome.later).toEqual({ subscriberIds: page.subscriberIds, delaySeconds: 5 });
    expect(mailer.accepted).toHaveLength(1);
  });

  it('sends an unknown message again once the window passed with no Send event and no backlog', async () => {
    const { deps, send, mailer, ledger, clock } = await setup(1);
    mailer.answer = (_message, call) => (call === 1 ? 'reset' : 'sent');
    const sender = new Sender(deps);
    await send(sender);
    clock.time += WINDOW_SECONDS * 1000;

    const outcome = await send(sender);

    expect(outcome.counts.sent).toBe(1);
    expect(mailer.calls).toBe(2);
    expect(mailer.accepted).toHaveLength(1);
    expect((await ledger.list(ISSUE))[0]?.status).toBe('sent');
  });

  it('waits a quarter of the window while SES events are still to be applied, even after the window', async () => {
    const { deps, send, page, mailer, events, clock } = await setup(1);
    mailer.answer = (_message, call) => (call === 1 ? 'reset' : 'sent');
    const sender = new Sender(deps);
    await send(sender);
    clock.time += WINDOW_SECONDS * 1000;
    events.drained = false;

    const outcome = await send(sender);

    expect(outcome.later).toEqual({ subscriberIds: page.subscriberIds, delaySeconds: 15 });
    expect(mailer.calls).toBe(1);
  });

  it('treats a claim left by a sender that died inside the SES call like an unknown outcome', async () => {
    const { deps, send, page, mailer, ledger, all, clock } = await setup(1);
    const id = all[0]?.id ?? '';
    await ledger.update(
      ISSUE,
      id,
      { status: ['queued'] },
      { status: 'claimed', claim: 'dead' },
      new Date(START).toISOString(),
    );
    const sender = new Sender(deps);

    const early = await send(sender);
    clock.time += WINDOW_SECONDS * 1000;
    const late = await send(sender);

    expect(early.later).toEqual({ subscriberIds: page.subscriberIds, delaySeconds: 60 });
    expect(late.counts.sent).toBe(1);
    expect(mailer.accepted).toHaveLength(1);
  });

  it('keeps a message sent when its Send event was applied before SES’s answer came', async () => {
    const { deps, send, ledger, all } = await setup(1);
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

    const outcome = await send(new Sender(deps));

    expect(outcome.counts.sent).toBe(1);
    expect((await ledger.list(ISSUE))[0]).toMatchObject({ status: 'sent', messageId: 'ses-1' });
  });

  it('skips a subscriber who left since the issue was prepared, counting them suppressed', async () => {
    const { deps, send, mailer, ledger, subscribers, all } = await setup(2);
    await subscribers.update(all[1]?.id ?? '', { status: 'unsubscribed' });

    const outcome = await send(new Sender(deps));

    expect(outcome.counts).toMatchObject({ sent: 1, suppressed: 1 });
    expect(mailer.accepted.map((m) => m.to)).toEqual(['reader1@example.com']);
    expect((await ledger.list(ISSUE)).map((r) => r.status)).toEqual(['sent', 'suppressed']);
  });

  it('records a recipient whose address cannot be written into a header as failed, without calling SES', async () => {
    const { deps, mailer, ledger, subscribers, clock } = await setup(0);
    const injected = { ...subscriber(1), email: 'reader1@example.com\r\nBcc: x@example.com' };
    await subscribers.add(injected);
    await ledger.addMissing(ISSUE, [{ subscriberId: injected.id, status: 'queued' }], 'x');

    const outcome = await clock.run(
      new Sender(deps).sendPage({ issueId: ISSUE, subscriberIds: [injected.id] }),
    );

    expect(outcome.counts).toMatchObject({ failed: 1 });
    expect(mailer.calls).toBe(0);
    expect((await ledger.list(ISSUE))[0]).toMatchObject({
      status: 'failed',
      error: 'the address contains a control character',
    });
  });

  it('starts no recipient after the page’s deadline, finishes those under way and leaves the rest queued for later', async () => {
    const { deps, send, page, mailer, ledger, clock } = await setup(20, { rate: 20 });
    const calledAt: number[] = [];
    mailer.answer = () => {
      calledAt.push(clock.time);
      return 'sent';
    };

    const outcome = await send(new Sender(deps), START + 450);

    // 10 a second for this sender, 5 recipients in flight. The first five start at 0 ms; as
    // each is sent (at 0, 100, …, 400 ms) its slot starts the next, which waits for its token
    // behind the others; the slot freed at 500 ms finds the deadline passed, as do the rest.
    expect(calledAt).toEqual(Array.from({ length: 10 }, (_, i) => i * 100));
    expect(outcome.later).toEqual({ subscriberIds: page.subscriberIds.slice(10), delaySeconds: 0 });
    const records = await ledger.list(ISSUE);
    expect(records.map((record) => record.status)).toEqual([
      ...Array(10).fill('sent'),
      ...Array(10).fill('queued'),
    ]);
  });

  it('paces each sender at its share of the issue’s rate', async () => {
    const { deps, send, mailer, clock } = await setup(21, { rate: 20 });
    const calledAt: number[] = [];
    mailer.answer = () => {
      calledAt.push(clock.time);
      return 'sent';
    };

    await send(new Sender(deps));

    // 20 per second shared by 2 senders: one call every 100 ms, the first at once.
    expect(calledAt).toEqual(Array.from({ length: 21 }, (_, i) => i * 100));
  });

  it.each([
    { plan: 'two rounds of 75 (the page plan)', pages: undefined, ends: [5960, 5960] },
    { plan: 'three pages of 100', pages: [100, 100, 100], ends: [7960, 3960] },
  ])(
    'lets two senders taking pages from one queue end together with $plan',
    async ({ pages, ends }) => {
      // 300 recipients at 50/s: 25/s for each of the 2 senders, one call every 40 ms each.
      const { deps, clock, all } = await setup(300, { rate: 50 });
      const ids = all.map((s) => s.id);
      const queue = pages
        ? pages.map((size, index) => ids.slice(index * 100, index * 100 + size))
        : splitIntoPages(ids, { configured: 100, issueRate: 50, maxConcurrency: 2 });
      const calls: { sender: number; at: number }[] = [];
      const take = async (sender: number) => {
        const mailer: Mailer = {
          send: (message) => {
            calls.push({ sender, at: clock.time });
            return deps.mailer.send(message);
          },
        };
        const own = new Sender({ ...deps, mailer });
        for (let page = queue.shift(); page; page = queue.shift()) {
          await own.sendPage({ issueId: ISSUE, subscriberIds: page });
        }
      };

      await clock.run(Promise.all([take(0), take(1)]));

      const lastOf = (sender: number) =>
        Math.max(...calls.filter((c) => c.sender === sender).map((c) => c.at));
      expect([lastOf(0), lastOf(1)]).toEqual(ends);
      expect(calls).toHaveLength(300);
      // No second holds more than the issue's 50 calls.
      const busiest = Math.max(
        ...calls.map(({ at }) => calls.filter((c) => c.at >= at && c.at < at + 1000).length),
      );
      expect(busiest).toBeLessThanOrEqual(50);
    },
  );

  it('renews a claim that waited for its token longer than is safe before calling SES', async () => {
    // 0.05 a second for 2 senders: the second recipient waits 40 s for its token, longer than
    // the 27.5 s a claim stays fresh in a 60 s window.
    const { deps, send, mailer, ledger, all } = await setup(2, { rate: 0.05 });
    const claims: string[] = [];
    ledger.beforeUpdate = (id, change) => {
      if (id === all[1]?.id && change.status === 'claimed' && change.claim)
        claims.push(change.claim);
    };

    await send(new Sender(deps));

    expect(claims).toHaveLength(2);
    expect(mailer.accepted[1]?.tags.claim).toBe(claims[1]);
    expect((await ledger.list(ISSUE))[1]).toMatchObject({ status: 'sent', claim: claims[1] });
  });

  it('does nothing with a page of an issue that is sent', async () => {
    const { deps, send, mailer, ledger, moveTo } = await setup(3);
    moveTo('sent');

    const outcome = await send(new Sender(deps));

    expect(outcome).toEqual({ retry: false, counts: noCounts(), errors: [] });
    expect(mailer.calls).toBe(0);
    expect((await ledger.list(ISSUE)).map((record) => record.status)).toEqual(
      Array(3).fill('queued'),
    );
  });
});

describe('Sender, when the issue is paused or cancelled', () => {
  /** The protocol's clock for `awaitSenders`: the sender's, as on one machine. */
  const waiting = (setup: {
    clock: SteppedClock;
    leases: MemorySendLeases;
    deps: { now(): Date };
  }) => ({
    leases: setup.leases,
    now: () => setup.deps.now(),
    sleep: (ms: number) => setup.clock.sleep(ms),
  });

  it('writes its lease, then reads the issue, before the first claim, and keeps the term for its next page', async () => {
    const { deps, send, issues, leases, ledger, clock } = await setup(2);
    const steps: string[] = [];
    ledger.beforeUpdate = (_id, change) => steps.push(change.status);
    const sender = new Sender({
      ...deps,
      leases: {
        hold: (issueId, lease) => {
          steps.push('hold');
          return leases.hold(issueId, lease);
        },
        release: (issueId, lease) => {
          steps.push('release');
          return leases.release(issueId, lease);
        },
      },
      issues: {
        get: (issueId) => {
          steps.push('read issue');
          return issues.get(issueId);
        },
      },
    });

    await send(sender);
    const afterFirstPage = [...steps];
    await send(sender);
    const afterSecondPage = [...steps];
    clock.time += LEASE_MS;
    await send(sender);

    expect(afterFirstPage).toEqual(['hold', 'read issue', 'claimed', 'claimed', 'sent', 'sent']);
    // The term still allowed claims: the next page starts at once, under it.
    expect(afterSecondPage).toEqual(afterFirstPage);
    // Once the term is over, the next page begins a new one first.
    expect(steps.slice(afterSecondPage.length)).toEqual(['hold', 'read issue']);
    expect(await leases.list(ISSUE)).toHaveLength(1);
  });

  it('releases its lease after a page of an issue that is no longer sending', async () => {
    const { deps, send, leases, moveTo, clock } = await setup(2);
    const sender = new Sender(deps);
    await send(sender);
    expect(await leases.list(ISSUE)).toHaveLength(1);

    moveTo('paused');
    clock.time += LEASE_MS;
    await send(sender);

    expect(await leases.list(ISSUE)).toEqual([]);
  });

  it('lets a page of a paused issue go, claiming nothing and asking for no retry', async () => {
    const { deps, send, mailer, ledger, leases, moveTo } = await setup(3);
    moveTo('paused');

    const outcome = await send(new Sender(deps));

    expect(outcome).toEqual({ retry: false, counts: { ...noCounts(), paused: 3 }, errors: [] });
    expect(mailer.calls).toBe(0);
    expect((await ledger.list(ISSUE)).map((record) => record.status)).toEqual(
      Array(3).fill('queued'),
    );
    expect(await leases.list(ISSUE)).toEqual([]);
  });

  it('marks the queued records of a cancelled issue’s page cancelled, leaving claimed and unknown ones to SES’s events', async () => {
    const { deps, send, mailer, ledger, all, moveTo } = await setup(4);
    const [, claimed, unknown, sent] = all.map((s) => s.id);
    const at = new Date(START - 1000).toISOString();
    for (const id of [claimed, unknown, sent]) {
      await ledger.update(
        ISSUE,
        id ?? '',
        { status: ['queued'] },
        { status: 'claimed', claim: `c-${id}` },
        at,
      );
    }
    await ledger.update(ISSUE, unknown ?? '', { status: ['claimed'] }, { status: 'unknown' }, at);
    await ledger.update(
      ISSUE,
      sent ?? '',
      { status: ['claimed'] },
      { status: 'sent', messageId: 'm' },
      at,
    );
    moveTo('cancelled');

    const outcome = await send(new Sender(deps));

    expect(outcome).toEqual({
      retry: false,
      counts: { ...noCounts(), cancelled: 1, done: 3 },
      errors: [],
    });
    expect(mailer.calls).toBe(0);
    expect((await ledger.list(ISSUE)).map((r) => [r.status, r.claim])).toEqual([
      ['cancelled', undefined],
      ['claimed', `c-${claimed}`],
      ['unknown', `c-${unknown}`],
      ['sent', `c-${sent}`],
    ]);
  });

  it('stops claiming at the next term of its lease once a pause is written mid-page, and claims nothing after awaitSenders resolved', async () => {
    // 10 a second for this sender: 40 recipients would take 4 s; the pause comes at 0.4 s.
    const context = await setup(40, { rate: 20 });
    const { deps, page, mailer, ledger, clock, moveTo } = context;
    const claimedAt: number[] = [];
    ledger.beforeUpdate = (_id, change) => {
      if (change.status === 'claimed') claimedAt.push(clock.time);
    };
    const calledAt: number[] = [];
    let resolvedAt = Number.NaN;
    let paused: (waited: number) => void = () => {};
    const waited = new Promise<number>((resolve) => {
      paused = resolve;
    });
    mailer.answer = (_message, call) => {
      calledAt.push(clock.time);
      if (call === 5) {
        moveTo('paused');
        void awaitSenders(waiting(context), ISSUE, deps.now()).then((ms) => {
          resolvedAt = clock.time;
          paused(ms);
        });
      }
      return 'sent';
    };

    const [outcome, ms] = await clock.run(Promise.all([new Sender(deps).sendPage(page), waited]));

    const records = await ledger.list(ISSUE);
    const sent = records.filter((record) => record.status === 'sent').length;
    expect(sent).toBe(mailer.accepted.length);
    // Claims went on under the term read before the pause, and stopped at its renewal.
    expect(sent).toBeGreaterThan(5);
    expect(sent).toBeLessThan(40);
    expect(
      records.filter((record) => record.status !== 'sent').map((r) => [r.status, r.claim]),
    ).toEqual(Array(40 - sent).fill(['queued', undefined]));
    expect(outcome).toMatchObject({ retry: false, counts: { sent, paused: 40 - sent } });
    expect(outcome.later).toBeUndefined();
    expect(Math.max(...claimedAt)).toBeLessThan(resolvedAt);
    expect(Math.max(...calledAt)).toBeLessThan(resolvedAt);
    // The pause waited for the senders a term at most, not for the page.
    expect(ms).toBeLessThanOrEqual(LEASE_MS + 2 * CLOCK_SKEW_MS);
  });

  it('marks the rest of a page cancelled once a cancel is written mid-page', async () => {
    const context = await setup(40, { rate: 20 });
    const { deps, page, mailer, ledger, clock, moveTo } = context;
    let cancelledAt = Number.NaN;
    const calledAt: number[] = [];
    mailer.answer = (_message, call) => {
      calledAt.push(clock.time);
      if (call === 5) {
        moveTo('cancelled');
        cancelledAt = clock.time;
      }
      return 'sent';
    };

    const outcome = await clock.run(new Sender(deps).sendPage(page));

    const statuses = (await ledger.list(ISSUE)).map((record) => record.status);
    const sent = statuses.filter((status) => status === 'sent').length;
    expect(statuses).toEqual([...Array(sent).fill('sent'), ...Array(40 - sent).fill('cancelled')]);
    expect(sent).toBe(mailer.accepted.length);
    expect(outcome).toMatchObject({ retry: false, counts: { sent, cancelled: 40 - sent } });
    expect(outcome.later).toBeUndefined();
    // No SES call once a term of the lease began after the cancel.
    expect(Math.max(...calledAt)).toBeLessThan(cancelledAt + LEASE_MS);
  });

  it('gives back, unsent, a claim whose token came after a pause', async () => {
    // 0.05 a second for 2 senders: the second recipient is claimed at once, then waits 40 s
    // for its token, long after the pause written when the first was sent.
    const { deps, send, mailer, ledger, all, moveTo } = await setup(2, { rate: 0.05 });
    const claims: string[] = [];
    ledger.beforeUpdate = (id, change) => {
      if (id === all[1]?.id && change.status === 'claimed' && change.claim)
        claims.push(change.claim);
    };
    mailer.answer = () => {
      moveTo('paused');
      return 'sent';
    };

    const outcome = await send(new Sender(deps));

    expect(claims.length).toBeGreaterThan(0);
    expect(mailer.accepted.map((message) => message.to)).toEqual(['reader1@example.com']);
    expect((await ledger.list(ISSUE)).map((r) => [r.status, r.claim])).toEqual([
      ['sent', mailer.accepted[0]?.tags.claim],
      ['queued', undefined],
    ]);
    expect(outcome).toMatchObject({ retry: false, counts: { sent: 1, paused: 1 } });
  });
});

describe('Sender, when the issue has a canary', () => {
  /** Readers 2 and up held back by a canary of reader 1 that waits until 08:30. */
  async function canarySetup(count: number, options: { rate?: number } = {}) {
    const context = await setup(count, options);
    const { issues, ledger, all } = context;
    const issue = issues.items.get(ISSUE);
    if (issue) issue.canary = { percent: 10, recipients: 1, until: '2026-11-27T08:30:00.000Z' };
    for (const s of all.slice(1)) {
      await ledger.update(ISSUE, s.id, { status: ['queued'] }, { status: 'held' }, 'x');
    }
    /** Ends the canary, as its end or a resume writes it. */
    const endCanary = () => {
      const stored = issues.items.get(ISSUE);
      if (stored?.canary) stored.canary.endedAt = '2026-11-27T08:30:00.000Z';
    };
    return { ...context, endCanary };
  }

  it('leaves held records alone while the canary holds, sending the queued ones', async () => {
    const { deps, send, mailer, ledger } = await canarySetup(4);

    const outcome = await send(new Sender(deps));

    expect(outcome).toMatchObject({ retry: false, counts: { ...noCounts(), sent: 1, done: 3 } });
    expect(mailer.accepted.map((message) => message.to)).toEqual(['reader1@example.com']);
    expect((await ledger.list(ISSUE)).map((r) => r.status)).toEqual([
      'sent',
      'held',
      'held',
      'held',
    ]);
  });

  it('sends the held records once the canary is over, also when its last term read the canary holding', async () => {
    const { deps, send, mailer, ledger, endCanary } = await canarySetup(4);
    const sender = new Sender(deps);
    await send(sender);
    endCanary();

    const outcome = await send(sender);

    expect(outcome).toMatchObject({ retry: false, counts: { ...noCounts(), sent: 3, done: 1 } });
    expect([...mailer.perRecipient().values()]).toEqual([1, 1, 1, 1]);
    expect((await ledger.list(ISSUE)).every((r) => r.status === 'sent')).toBe(true);
  });

  it('gives a held record back held, unsent, when the issue pauses between its claim and SES', async () => {
    // 0.05 a second for 2 senders: the second recipient is claimed at once, then waits 40 s
    // for its token, long after the pause written when the first was sent.
    const { deps, send, mailer, ledger, moveTo, endCanary, all } = await canarySetup(2, {
      rate: 0.05,
    });
    endCanary();
    const claimed: string[] = [];
    ledger.beforeUpdate = (id, change) => {
      if (id === all[1]?.id && change.status === 'claimed') claimed.push(id);
    };
    mailer.answer = () => {
      moveTo('paused');
      return 'sent';
    };

    const outcome = await send(new Sender(deps));

    expect(claimed.length).toBeGreaterThan(0);
    expect(mailer.accepted.map((message) => message.to)).toEqual(['reader1@example.com']);
    expect((await ledger.list(ISSUE)).map((r) => [r.status, r.claim])).toEqual([
      ['sent', mailer.accepted[0]?.tags.claim],
      ['held', undefined],
    ]);
    expect(outcome).toMatchObject({ retry: false, counts: { sent: 1, paused: 1 } });
  });

  it('marks the held records of a cancelled issue’s page cancelled', async () => {
    const { deps, send, mailer, ledger, moveTo } = await canarySetup(3);
    moveTo('cancelled');

    const outcome = await send(new Sender(deps));

    expect(mailer.calls).toBe(0);
    expect(outcome).toMatchObject({ retry: false, counts: { ...noCounts(), cancelled: 3 } });
    expect((await ledger.list(ISSUE)).map((r) => r.status)).toEqual(Array(3).fill('cancelled'));
    expect(await ledger.counts(ISSUE)).toMatchObject({ queued: 0, held: 0, cancelled: 3 });
  });
});
