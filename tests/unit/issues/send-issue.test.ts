import { describe, expect, it } from 'vitest';
import { draftIssue } from '#core/issues/draft-issue.ts';
import { IssueInProgressError } from '#core/issues/issue-in-progress-error.ts';
import { IssuePausedError } from '#core/issues/issue-paused-error.ts';
import { moveIssue } from '#core/issues/move-issue.ts';
import { NoActiveSubscriberError } from '#core/issues/no-active-subscriber-error.ts';
import { continuePreparing } from '#core/issues/prepare-issue.ts';
import { previewIssue, sendIssue } from '#core/issues/send-issue.ts';
import type { IssueView } from '#core/rendering/issue-view.ts';
import { renderHash } from '#core/rendering/render-hash.ts';
import type { RenderedIssue } from '#core/rendering/render-issue.ts';
import { memoryIssueDeps, storedIssue } from '../fakes/memory-issue-deps.ts';
import type { MemoryMediaStore } from '../fakes/memory-media-store.ts';
import { MemorySubscriberStore } from '../fakes/memory-stores.ts';
import { article } from '../support/articles.ts';
import { subscriber } from '../support/subscribers.ts';

const UNSUBSCRIBE = 'marker_unsubscribe_7f3a0c1e9b2d';
const NAME = 'marker_name_9c1e5a7b3f60ab';
/** Who sends in these tests: the schedule. */
const ACTOR = 'schedule';
const NOW = '2026-11-27T08:00:00.000Z';

/** A stand-in for the MJML renderer: the headlines, and the two per-recipient markers. */
async function fakeRender(view: IssueView): Promise<RenderedIssue> {
  const headlines = view.articles.map((a) => a.headline).join(' | ');
  return {
    issueId: view.issueId,
    subject: view.subject,
    preheader: view.preheader ?? headlines,
    html: `<p>${headlines}</p><p>Hi ${NAME}</p><a href="${UNSUBSCRIBE}">Unsubscribe</a>`,
    text: `${headlines}\nUnsubscribe: ${UNSUBSCRIBE}`,
    markers: { unsubscribeUrl: UNSUBSCRIBE, name: NAME },
  };
}

function setup() {
  let counter = 0;
  const archived: { issueId: string; html: string; text: string }[] = [];
  const subscribers = new MemorySubscriberStore();
  const deps = memoryIssueDeps(subscribers, {
    renderIssue: fakeRender,
    newId: () => `01ISSUE${String(++counter).padStart(19, '0')}`,
    now: () => new Date('2026-11-27T08:00:00Z'),
    archive: async (issueId: string, content: { html: string; text: string }) => {
      archived.push({ issueId, ...content });
    },
  });
  return { deps, archived, subscribers };
}

async function withReaders(subscribers: MemorySubscriberStore, count: number) {
  // Pushed directly: `add` looks for the address among all the others first.
  for (let i = 1; i <= count; i++) subscribers.items.push(subscriber(i));
}

/** Records a message as sent in the ledger, as the sender would. */
function markSent(deps: ReturnType<typeof setup>['deps'], issueId: string, subscriberId: string) {
  return deps.ledger.update(
    issueId,
    subscriberId,
    { status: ['queued'] },
    { status: 'sent', messageId: 'm1' },
    'x',
  );
}

describe('sendIssue', () => {
  it('records the next issue with its articles, the render, its hash, SES’s rate and who sent it', async () => {
    const { deps, subscribers } = setup();
    await deps.articles.putAll([
      article('older', '2026-11-01T00:00:00Z'),
      article('newer', '2026-11-02T00:00:00Z'),
    ]);
    await withReaders(subscribers, 1);

    const started = await sendIssue(deps, ACTOR);

    expect(started).toMatchObject({ resumed: false, enqueued: 1 });
    const issue = await deps.issues.get(started?.issue.issueId ?? '');
    expect(issue).toMatchObject({
      subject: 'Headline of newer',
      articleIds: ['newer', 'older'],
      state: 'sending',
      version: 1,
      startedAt: NOW,
      rate: 200,
      preparedAt: NOW,
    });
    expect(issue?.timeline.map(({ actor, action }) => [actor, action])).toEqual([
      [ACTOR, 'draft'],
      [ACTOR, 'send'],
    ]);
    const rendered = await deps.renderedIssues.get(issue?.issueId ?? '', issue?.sha256 ?? '');
    expect(rendered).toMatchObject({ markers: { unsubscribeUrl: UNSUBSCRIBE, name: NAME } });
    expect(issue?.sha256).toBe(rendered && renderHash(rendered));
  });

  it('records what the issue’s images weigh, and the preview reports the same', async () => {
    const { deps, subscribers } = setup();
    await withReaders(subscribers, 1);
    const media = deps.media as MemoryMediaStore;
    const stored = `https://news.example.com/media/${'a'.repeat(64)}.jpg`;
    const other = `https://news.example.com/media/${'b'.repeat(64)}.png`;
    await media.put(`media/${'a'.repeat(64)}.jpg`, new Uint8Array(1000), 'image/jpeg');
    await media.put(`media/${'b'.repeat(64)}.png`, new Uint8Array(234), 'image/png');
    const notStored = `https://news.example.com/media/${'c'.repeat(64)}.jpg`;
    deps.renderIssue = async (view) => {
      const rendered = await fakeRender(view);
      const images = [stored, other, stored, notStored, 'https://cdn.example.org/x.jpg']
        .map((src) => `<img src="${src}" alt="">`)
        .join('');
      return { ...rendered, html: rendered.html + images };
    };
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);

    const preview = await previewIssue(deps);
    const started = await sendIssue(deps, ACTOR);

    const weight = { count: 4, measured: 2, bytes: 1234, unmeasured: 1, missing: 1 };
    expect(preview?.issue.images).toEqual(weight);
    expect(started?.issue.images).toEqual(weight);
    expect((await deps.issues.get(started?.issue.issueId ?? ''))?.images).toEqual(weight);
  });

  it('takes the editor’s rate over SES’s, and the configured one when SES does not answer', async () => {
    const first = setup();
    await first.deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    await withReaders(first.subscribers, 1);
    const second = setup();
    await second.deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    await withReaders(second.subscribers, 1);
    second.deps.quota.rate = undefined;

    const byEditor = await sendIssue(first.deps, ACTOR, { rate: 3.5 });
    const byFallback = await sendIssue(second.deps, ACTOR);

    expect(byEditor?.issue.rate).toBe(3.5);
    expect(byFallback?.issue.rate).toBe(14);
  });

  it('gives every subscriber a ledger record, suppressed ones too, and leaves pending ones out', async () => {
    const { deps, subscribers } = setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    await withReaders(subscribers, 2);
    await subscribers.add(subscriber(3, 'unsubscribed'));
    await subscribers.add(subscriber(4, 'suppressed'));
    await subscribers.add(subscriber(5, 'pending'));

    const started = await sendIssue(deps, ACTOR);

    const records = await deps.ledger.list(started?.issue.issueId ?? '');
    expect(records.map((r) => [r.subscriberId.slice(-1), r.status])).toEqual([
      ['1', 'queued'],
      ['2', 'queued'],
      ['3', 'suppressed'],
      ['4', 'suppressed'],
    ]);
    expect(deps.queue.subscriberIds).toEqual([subscriber(1).id, subscriber(2).id]);
  });

  it('cuts the recipients into whole rounds of pages no sender needs more than ten seconds for', async () => {
    const { deps, subscribers } = setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    await withReaders(subscribers, 150);

    // 10 messages a second for 2 senders: 5 each, so 50 in ten seconds at most, in pages
    // as many as a multiple of the senders.
    await sendIssue(deps, ACTOR, { rate: 10 });

    expect(deps.queue.messages.map((m) => m.page.subscriberIds.length)).toEqual([38, 38, 37, 37]);
  });

  it('archives the issue without anyone’s personal link', async () => {
    const { deps, archived, subscribers } = setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    await withReaders(subscribers, 1);

    const started = await sendIssue(deps, ACTOR);

    expect(archived.map((copy) => copy.issueId)).toEqual([started?.issue.issueId]);
    expect(archived[0]?.html).toContain('href="https://news.example.com/unsubscribe"');
    expect(archived[0]?.html).not.toMatch(/token=|reader1|marker_/);
  });

  it('starts no issue while nobody is active, and sends its articles once someone is', async () => {
    const { deps, archived, subscribers } = setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    await subscribers.add(subscriber(1, 'pending'));
    await subscribers.add(subscriber(2, 'unsubscribed'));

    await expect(sendIssue(deps, ACTOR)).rejects.toThrow(NoActiveSubscriberError);
    expect(await deps.issues.list()).toEqual([]);
    expect(archived).toEqual([]);
    expect(await deps.queue.isIdle()).toBe(true);

    await subscribers.add(subscriber(3));
    const started = await sendIssue(deps, ACTOR);

    expect(started?.issue.articleIds).toEqual(['one']);
    expect(started?.enqueued).toBe(1);
  });

  it('finds an active subscriber behind pages of others', async () => {
    const { deps, subscribers } = setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    for (let n = 1; n <= 250; n++) subscribers.items.push(subscriber(n, 'unsubscribed'));
    subscribers.items.push(subscriber(251));

    const started = await sendIssue(deps, ACTOR);

    expect(started?.enqueued).toBe(1);
  });

  it('starts one issue when two starts race, names it to the other and cancels the other’s draft', async () => {
    const { deps, subscribers } = setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    await withReaders(subscribers, 2);

    const [first, second] = await Promise.allSettled([
      sendIssue(deps, ACTOR),
      sendIssue(deps, ACTOR),
    ]);

    const issues = await deps.issues.list();
    const sending = issues.filter((issue) => issue.state === 'sending');
    const cancelled = issues.filter((issue) => issue.state === 'cancelled');
    expect(sending).toHaveLength(1);
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]).toMatchObject({ mailedNobody: true, articleIds: ['one'] });
    expect(cancelled[0]?.timeline.at(-1)).toMatchObject({ actor: ACTOR, action: 'cancel' });
    expect([first.status, second.status].sort()).toEqual(['fulfilled', 'rejected']);
    const refused = [first, second].find((outcome) => outcome.status === 'rejected');
    expect((refused as PromiseRejectedResult).reason).toBeInstanceOf(IssueInProgressError);
    expect((refused as PromiseRejectedResult).reason.issueId).toBe(sending[0]?.issueId);
    expect(deps.queue.subscriberIds).toHaveLength(2);
  });

  it('frees the slot when the issue is sent, so the next one starts', async () => {
    const { deps, subscribers } = setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    await withReaders(subscribers, 1);
    const first = await sendIssue(deps, ACTOR);
    await markSent(deps, first?.issue.issueId ?? '', subscriber(1).id);
    await deps.articles.putAll([article('two', '2026-11-02T00:00:00Z')]);

    const next = await sendIssue(deps, ACTOR);

    expect(next?.issue.articleIds).toEqual(['two']);
    expect(deps.issues.slot?.issueId).toBe(next?.issue.issueId);
  });

  it.each([
    ['a start that crashed over five minutes ago', '2026-11-27T07:54:00Z', false],
    ['an issue already sent', '2026-11-27T07:59:00Z', true],
  ])('takes the slot over from %s', async (_what, since, recorded) => {
    const { deps, subscribers } = setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    await withReaders(subscribers, 1);
    if (recorded) {
      await deps.issues.create(
        storedIssue('01ISSUEOLD0000000000000000', {
          createdAt: since,
          articleIds: [],
          state: 'sent',
        }),
      );
    }
    deps.issues.slot = { issueId: '01ISSUEOLD0000000000000000', since };

    const started = await sendIssue(deps, ACTOR);

    expect(started?.issue.articleIds).toEqual(['one']);
    expect(deps.issues.slot?.issueId).toBe(started?.issue.issueId);
  });

  it('refuses while a start that has not recorded its issue yet holds the slot, cancelling its own draft as mailing nobody', async () => {
    const { deps, archived, subscribers } = setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    await withReaders(subscribers, 1);
    deps.issues.slot = { issueId: '01ISSUESTARTING00000000000', since: '2026-11-27T07:59:30Z' };

    await expect(sendIssue(deps, ACTOR)).rejects.toThrow(
      'Issue 01ISSUESTARTING00000000000 is sending or paused',
    );

    expect(
      (await deps.issues.list()).map(({ state, mailedNobody }) => [state, mailedNobody]),
    ).toEqual([['cancelled', true]]);
    expect(deps.issues.slot?.issueId).toBe('01ISSUESTARTING00000000000');
    expect(archived).toEqual([]);
    expect(await deps.queue.isIdle()).toBe(true);
  });

  it('offers the articles of the draft it cancelled again once the slot is free', async () => {
    const { deps, subscribers } = setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    await withReaders(subscribers, 1);
    deps.issues.slot = { issueId: '01ISSUESTARTING00000000000', since: '2026-11-27T07:59:30Z' };
    await expect(sendIssue(deps, ACTOR)).rejects.toThrow(IssueInProgressError);
    await deps.issues.releaseSendingSlot('01ISSUESTARTING00000000000');

    const started = await sendIssue(deps, ACTOR);

    expect(started?.issue).toMatchObject({ state: 'sending', articleIds: ['one'] });
  });

  it('starts nothing when no article is new', async () => {
    const { deps, subscribers } = setup();
    await withReaders(subscribers, 1);

    expect(await sendIssue(deps, ACTOR)).toBeUndefined();
    expect(await deps.issues.list()).toEqual([]);
  });

  it('resumes the unfinished issue instead of starting a new one, re-enqueuing what is not done once the queue is empty', async () => {
    const { deps, subscribers } = setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    await withReaders(subscribers, 3);
    const first = await sendIssue(deps, ACTOR);
    const issueId = first?.issue.issueId ?? '';
    await markSent(deps, issueId, subscriber(1).id);
    await deps.articles.putAll([article('two', '2026-11-03T00:00:00Z')]);
    deps.queue.messages.length = 0;

    const resumed = await sendIssue(deps, ACTOR);

    expect(resumed).toMatchObject({ resumed: true, enqueued: 2 });
    expect(resumed?.issue.issueId).toBe(issueId);
    expect(deps.queue.subscriberIds).toEqual([subscriber(2).id, subscriber(3).id]);
  });

  it('leaves the work list alone while the queue still holds pages of the issue', async () => {
    const { deps, subscribers } = setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    await withReaders(subscribers, 2);
    await sendIssue(deps, ACTOR);

    const resumed = await sendIssue(deps, ACTOR);

    expect(resumed).toMatchObject({ resumed: true, enqueued: 0 });
    // The two pages, one per sender, of the first send.
    expect(deps.queue.messages).toHaveLength(2);
  });

  it('prepares a resumed issue whose preparation a crash cut short', async () => {
    const { deps, subscribers } = setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    await withReaders(subscribers, 2);
    // The render is stored before the issue is recorded, so a crash leaves both or neither.
    const rendered: RenderedIssue = {
      issueId: '01ISSUECRASHED000000000000',
      subject: 'Headline of one',
      preheader: 'Headline of one',
      html: `<p>Hi ${NAME}</p><a href="${UNSUBSCRIBE}">Unsubscribe</a>`,
      text: `Unsubscribe: ${UNSUBSCRIBE}`,
      markers: { unsubscribeUrl: UNSUBSCRIBE, name: NAME },
    };
    await deps.renderedIssues.put(rendered, renderHash(rendered));
    await deps.issues.create(
      storedIssue('01ISSUECRASHED000000000000', {
        subject: 'Headline of one',
        articleIds: ['one'],
        sha256: renderHash(rendered),
        rate: 50,
      }),
    );

    const resumed = await sendIssue(deps, ACTOR);

    expect(resumed).toMatchObject({ resumed: true, enqueued: 2 });
    expect((await deps.issues.get('01ISSUECRASHED000000000000'))?.preparedAt).toBeDefined();
  });

  it('carries on a preparation that a failed run left mid-way, while its first pages are still queued', async () => {
    const { deps, subscribers } = setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    for (let n = 1; n <= 1_500; n++) subscribers.items.push(subscriber(n));
    const addMissing = deps.ledger.addMissing.bind(deps.ledger);
    let reads = 0;
    deps.ledger.addMissing = async (...args) => {
      if (++reads === 2) throw new Error('the builder ran out of memory');
      return addMissing(...args);
    };
    await expect(sendIssue(deps, ACTOR)).rejects.toThrow('out of memory');
    const queuedBefore = deps.queue.subscriberIds.length;

    // The retry that Lambda makes at once, with the first 1,000 still on the queue.
    const retried = await sendIssue(deps, ACTOR);

    expect(queuedBefore).toBe(1_000);
    expect(retried).toMatchObject({ resumed: true, enqueued: 500 });
    const queued = deps.queue.subscriberIds;
    expect(new Set(queued).size).toBe(1_500);
    expect(queued).toHaveLength(1_500);
    expect((await deps.issues.list())[0]?.preparedAt).toBeDefined();
  });

  it('marks a finished issue sent and starts the next', async () => {
    const { deps, subscribers } = setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    await withReaders(subscribers, 1);
    const first = await sendIssue(deps, ACTOR);
    const issueId = first?.issue.issueId ?? '';
    await markSent(deps, issueId, subscriber(1).id);
    await deps.articles.putAll([article('two', '2026-11-03T00:00:00Z')]);

    const next = await sendIssue(deps, ACTOR);

    expect((await deps.issues.get(issueId))?.state).toBe('sent');
    expect(next).toMatchObject({ resumed: false, issue: { articleIds: ['two'] } });
  });

  it('starts the next issue when the unfinished one only waits on SES events in the dead-letter queue', async () => {
    const { deps, subscribers } = setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    await withReaders(subscribers, 2);
    const first = await sendIssue(deps, ACTOR);
    const issueId = first?.issue.issueId ?? '';
    await markSent(deps, issueId, subscriber(1).id);
    // Sent an hour before now with no answer from SES: well past the window.
    await deps.ledger.update(
      issueId,
      subscriber(2).id,
      { status: ['queued'] },
      { status: 'unknown', claim: 'c2' },
      '2026-11-27T07:00:00.000Z',
    );
    deps.events.deadLettered = true;
    await deps.articles.putAll([article('two', '2026-11-03T00:00:00Z')]);

    const next = await sendIssue(deps, ACTOR);

    expect(await deps.issues.get(issueId)).toMatchObject({
      state: 'sent',
      heldBy: { reason: 'events-dead-letter-queue', unknown: 1 },
    });
    expect(next).toMatchObject({ resumed: false, issue: { articleIds: ['two'] } });
    expect((await deps.ledger.getMany(issueId, [subscriber(2).id]))[0]?.status).toBe('unknown');
  });

  it('resumes the unfinished issue while the events queue itself still holds SES events', async () => {
    const { deps, subscribers } = setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    await withReaders(subscribers, 1);
    const first = await sendIssue(deps, ACTOR);
    const issueId = first?.issue.issueId ?? '';
    await deps.ledger.update(
      issueId,
      subscriber(1).id,
      { status: ['queued'] },
      { status: 'unknown', claim: 'c1' },
      '2026-11-27T07:00:00.000Z',
    );
    deps.events.queued = true;
    deps.events.deadLettered = true;

    const next = await sendIssue(deps, ACTOR);

    expect(next).toMatchObject({ resumed: true, issue: { issueId } });
    expect((await deps.issues.get(issueId))?.state).toBe('sending');
  });

  it('stores a new rate with a resumed issue', async () => {
    const { deps, subscribers } = setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    await withReaders(subscribers, 1);
    const first = await sendIssue(deps, ACTOR);

    await sendIssue(deps, ACTOR, { rate: 2 });

    expect((await deps.issues.get(first?.issue.issueId ?? ''))?.rate).toBe(2);
  });

  it('refuses while an issue is paused, naming how to resume it, and drafts nothing', async () => {
    const { deps, subscribers } = setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    await withReaders(subscribers, 1);
    const first = await sendIssue(deps, ACTOR);
    const issueId = first?.issue.issueId ?? '';
    await moveIssue(deps.issues, issueId, 'pause', { actor: 'cli:editor', at: new Date(NOW) });
    await deps.articles.putAll([article('two', '2026-11-03T00:00:00Z')]);
    const before = await deps.issues.list();
    const queued = deps.queue.messages.length;

    const refusal = sendIssue(deps, ACTOR);

    await expect(refusal).rejects.toThrow(IssuePausedError);
    await expect(refusal).rejects.toThrow(`newsletter issues resume ${issueId}`);
    expect(await deps.issues.list()).toEqual(before);
    expect(deps.queue.messages).toHaveLength(queued);
  });

  it('leaves a draft an editor keeps as it is, and sends its articles in an issue of its own', async () => {
    const { deps, subscribers } = setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    await withReaders(subscribers, 1);
    const kept = await draftIssue(deps, { subject: 'Kept for later' }, 'cli:editor');

    const started = await sendIssue(deps, ACTOR);

    expect(started?.issue.issueId).not.toBe(kept?.issue.issueId);
    expect(started?.issue.articleIds).toEqual(['one']);
    expect(await deps.issues.get(kept?.issue.issueId ?? '')).toEqual(kept?.issue);
  });
});

describe('preparing a large list', () => {
  async function bigList() {
    const { deps, subscribers } = setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    await withReaders(subscribers, 2500);
    let clock = Date.parse('2026-11-27T08:00:00Z');
    // Each page of subscribers takes an hour: the deadline passes after the first one.
    const addMissing = deps.ledger.addMissing.bind(deps.ledger);
    deps.ledger.addMissing = async (...args) => {
      clock += 3_600_000;
      return addMissing(...args);
    };
    return { deps: { ...deps, now: () => new Date(clock) } };
  }

  it('enqueues the first pages at once and hands the rest to a step when time runs out', async () => {
    const { deps } = await bigList();

    const started = await sendIssue(deps, ACTOR, { deadline: Date.parse('2026-11-27T08:30:00Z') });

    expect(started?.enqueued).toBe(1000);
    expect(deps.queue.subscriberIds).toHaveLength(1000);
    expect(deps.queue.steps).toEqual([{ issueId: started?.issue.issueId, prepareFrom: '1000' }]);
    expect((await deps.issues.get(started?.issue.issueId ?? ''))?.preparedAt).toBeUndefined();
  });

  it('finishes the list from the step, giving every subscriber one record', async () => {
    const { deps } = await bigList();
    const started = await sendIssue(deps, ACTOR, { deadline: Date.parse('2026-11-27T08:30:00Z') });
    const [step] = deps.queue.steps;

    const enqueued = await continuePreparing(deps, step ?? { issueId: '', prepareFrom: '' });

    expect(enqueued).toBe(1500);
    expect(new Set(deps.queue.subscriberIds).size).toBe(2500);
    expect(await deps.ledger.list(started?.issue.issueId ?? '')).toHaveLength(2500);
    expect((await deps.issues.get(started?.issue.issueId ?? ''))?.preparedAt).toBeDefined();
  });

  it('ignores a step that came twice once the first one has moved on', async () => {
    const { deps } = await bigList();
    await sendIssue(deps, ACTOR, { deadline: Date.parse('2026-11-27T08:30:00Z') });
    const [step] = deps.queue.steps;
    await continuePreparing(deps, step ?? { issueId: '', prepareFrom: '' });
    const before = deps.queue.subscriberIds.length;

    const again = await continuePreparing(deps, step ?? { issueId: '', prepareFrom: '' });

    expect(again).toBe(0);
    expect(deps.queue.subscriberIds).toHaveLength(before);
  });
});

describe('previewIssue', () => {
  it('renders the next issue and stores nothing', async () => {
    const { deps } = setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);

    const preview = await previewIssue(deps);

    expect(preview?.html).toContain('Headline of one');
    expect(preview?.html).toContain('href="https://news.example.com/unsubscribe"');
    expect(await deps.issues.list()).toEqual([]);
    expect(deps.renderedIssues.items.size).toBe(0);
  });
});
