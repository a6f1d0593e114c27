import { describe, expect, it } from 'vitest';
import type { DraftChoice } from '#core/issues/compose-issue.ts';
import { draftIssue } from '#core/issues/draft-issue.ts';
import { DraftOutdatedError } from '#core/issues/draft-outdated-error.ts';
import { IssueInProgressError } from '#core/issues/issue-in-progress-error.ts';
import { IssueNotFoundError } from '#core/issues/issue-not-found-error.ts';
import { IssueStateError } from '#core/issues/issue-state-error.ts';
import { finishIssue } from '#core/issues/issue-status.ts';
import { moveIssue } from '#core/issues/move-issue.ts';
import { NoActiveSubscriberError } from '#core/issues/no-active-subscriber-error.ts';
import { renderDraft } from '#core/issues/render-draft.ts';
import { startIssue } from '#core/issues/start-issue.ts';
import { memoryIssueDeps, storedIssue, templateRender } from '../fakes/memory-issue-deps.ts';
import { MemorySubscriberStore } from '../fakes/memory-stores.ts';
import { article } from '../support/articles.ts';
import { subscriber } from '../support/subscribers.ts';

const DRAFTED = '2026-11-27T08:00:00.000Z';
const STARTED = '2026-11-27T08:10:00.000Z';
const LATER = '2026-11-27T08:20:00.000Z';
const EDITOR = 'cli:editor';

/** Issue dependencies on the fakes, rendering with the real templates, with `readers`. */
async function setup(readers = 1) {
  const clock = { now: DRAFTED };
  let counter = 0;
  const archived: { issueId: string; html: string }[] = [];
  const subscribers = new MemorySubscriberStore();
  for (let n = 1; n <= readers; n++) await subscribers.add(subscriber(n));
  const deps = memoryIssueDeps(subscribers, {
    renderIssue: templateRender,
    newId: () => `01JDRAFT${String(++counter).padStart(18, '0')}`,
    now: () => new Date(clock.now),
    archive: async (issueId: string, content: { html: string }) => {
      archived.push({ issueId, html: content.html });
    },
  });
  await deps.articles.putAll([
    article('one', '2026-11-01T00:00:00Z'),
    article('two', '2026-11-02T00:00:00Z'),
  ]);
  /** Drafts an issue of `choice` now, as an editor. */
  const draft = async (choice: DraftChoice = {}) => {
    const drafted = await draftIssue(deps, choice, EDITOR);
    if (!drafted) throw new Error('nothing to draft');
    return drafted.issue;
  };
  return { deps, clock, archived, subscribers, draft };
}

type Setup = Awaited<ReturnType<typeof setup>>;

/** Everything a refused start must leave as it was. */
async function snapshot({ deps, archived }: Setup) {
  return {
    issues: await deps.issues.list(),
    slot: deps.issues.slot && { ...deps.issues.slot },
    queued: deps.queue.subscriberIds,
    archived: archived.length,
  };
}

/** Sends `issueId` to every reader and lets the ledger mark it sent, freeing the slot. */
async function sendToEveryone(world: Setup, issueId: string) {
  const { deps, subscribers } = world;
  for (const reader of subscribers.items) {
    await deps.ledger.update(
      issueId,
      reader.id,
      { status: ['queued'] },
      { status: 'sent', messageId: `m-${reader.id}` },
      world.clock.now,
    );
  }
  const issue = await deps.issues.get(issueId);
  if (!issue) throw new Error(`no issue ${issueId}`);
  const { done } = await finishIssue(deps, issue, new Date(world.clock.now));
  if (!done) throw new Error(`issue ${issueId} is not finished`);
}

describe('startIssue', () => {
  it('sends a draft as it was rendered: sending at its version, holding the slot, archived and enqueued', async () => {
    const world = await setup(2);
    const { deps, clock, archived } = world;
    const draft = await world.draft();
    clock.now = STARTED;

    const started = await startIssue(deps, draft.issueId, EDITOR);

    expect(started.enqueued).toBe(2);
    expect(started.issue).toEqual({
      ...draft,
      state: 'sending',
      startedAt: STARTED,
      rate: 200,
      images: { count: 0, measured: 0, bytes: 0, unmeasured: 0, missing: 0 },
      preparedAt: STARTED,
      timeline: [
        ...draft.timeline,
        { at: STARTED, actor: EDITOR, action: 'send', detail: 'version 1 at 200 messages/s' },
      ],
    });
    expect(await deps.issues.get(draft.issueId)).toEqual(started.issue);
    expect(deps.issues.slot).toEqual({ issueId: draft.issueId, since: STARTED });
    expect(deps.queue.subscriberIds).toEqual([subscriber(1).id, subscriber(2).id]);
    expect(archived.map((copy) => copy.issueId)).toEqual([draft.issueId]);
    expect(archived[0]?.html).toContain('Headline of two');
    expect(archived[0]?.html).not.toMatch(/token=|reader1|marker_/);
  });

  it('sends at the rate the editor gives', async () => {
    const world = await setup();
    const draft = await world.draft();

    const started = await startIssue(world.deps, draft.issueId, EDITOR, { rate: 3 });

    expect(started.issue.rate).toBe(3);
    expect((await world.deps.issues.get(draft.issueId))?.rate).toBe(3);
  });

  it.each(['sending', 'paused', 'sent', 'cancelled'] as const)(
    'refuses to send a %s issue, naming its state and changing nothing',
    async (state) => {
      const world = await setup();
      await world.deps.issues.create(storedIssue('01JISSUE000000000000000001', { state }));
      const before = await snapshot(world);

      const refusal = startIssue(world.deps, '01JISSUE000000000000000001', EDITOR);

      await expect(refusal).rejects.toThrow(IssueStateError);
      await expect(refusal).rejects.toThrow(`is ${state}`);
      expect(await snapshot(world)).toEqual(before);
    },
  );

  it('refuses a draft an issue that started after it was rendered shares an article with, changing nothing', async () => {
    const world = await setup();
    const { deps, clock } = world;
    const outdated = await world.draft();
    clock.now = STARTED;
    const other = await world.draft({ articleIds: ['two'] });
    await startIssue(deps, other.issueId, EDITOR);
    await sendToEveryone(world, other.issueId);
    clock.now = LATER;
    const before = await snapshot(world);

    const refusal = startIssue(deps, outdated.issueId, EDITOR);

    await expect(refusal).rejects.toThrow(DraftOutdatedError);
    await expect(refusal).rejects.toMatchObject({
      issueId: outdated.issueId,
      carriedBy: other.issueId,
      articleIds: ['two'],
    });
    await expect(refusal).rejects.toThrow(`newsletter issues render ${outdated.issueId}`);
    expect(await snapshot(world)).toEqual(before);
  });

  it('sends a draft rendered again since then, with the shared article left out', async () => {
    const world = await setup();
    const { deps, clock } = world;
    const outdated = await world.draft();
    clock.now = STARTED;
    const other = await world.draft({ articleIds: ['two'] });
    await startIssue(deps, other.issueId, EDITOR);
    await sendToEveryone(world, other.issueId);
    clock.now = LATER;
    await expect(startIssue(deps, outdated.issueId, EDITOR)).rejects.toThrow(DraftOutdatedError);
    await renderDraft(deps, outdated.issueId, { articleIds: ['one'] }, EDITOR);

    const started = await startIssue(deps, outdated.issueId, EDITOR);

    expect(started.issue).toMatchObject({ state: 'sending', version: 2, articleIds: ['one'] });
  });

  it('sends a draft carrying an article of an issue that started before it was rendered', async () => {
    const world = await setup();
    const { deps, clock } = world;
    const earlier = await world.draft({ articleIds: ['two'] });
    await startIssue(deps, earlier.issueId, EDITOR);
    await sendToEveryone(world, earlier.issueId);
    clock.now = STARTED;
    // Chosen by the editor after that issue went out: sent again on purpose.
    const again = await world.draft({ articleIds: ['two', 'one'] });

    const started = await startIssue(deps, again.issueId, EDITOR);

    expect(started.issue).toMatchObject({ state: 'sending', articleIds: ['two', 'one'] });
  });

  it.each([
    ['sending', []],
    ['paused', ['pause']],
  ] as const)(
    'refuses to start a draft while another issue is %s, naming that issue and changing nothing',
    async (_state, actions) => {
      const world = await setup();
      const { deps } = world;
      const first = await world.draft();
      const second = await world.draft();
      await startIssue(deps, first.issueId, EDITOR);
      for (const action of actions) {
        await moveIssue(deps.issues, first.issueId, action, {
          actor: EDITOR,
          at: new Date(world.clock.now),
        });
      }
      const before = await snapshot(world);

      const refusal = startIssue(deps, second.issueId, EDITOR);

      await expect(refusal).rejects.toThrow(IssueInProgressError);
      await expect(refusal).rejects.toMatchObject({ issueId: first.issueId });
      await expect(refusal).rejects.toThrow(`Issue ${first.issueId} is sending or paused`);
      expect(await snapshot(world)).toEqual(before);
    },
  );

  it('refuses while nobody is active, changing nothing', async () => {
    const world = await setup(0);
    await world.subscribers.add(subscriber(1, 'unsubscribed'));
    const draft = await world.draft();
    const before = await snapshot(world);

    await expect(startIssue(world.deps, draft.issueId, EDITOR)).rejects.toThrow(
      NoActiveSubscriberError,
    );
    expect(await snapshot(world)).toEqual(before);
  });

  it('refuses an issue that does not exist, changing nothing', async () => {
    const world = await setup();
    const before = await snapshot(world);

    await expect(startIssue(world.deps, '01JMISSING0000000000000000', EDITOR)).rejects.toThrow(
      IssueNotFoundError,
    );
    expect(await snapshot(world)).toEqual(before);
  });

  it('carries through a draft whose start stopped after taking the slot, and names it', async () => {
    const world = await setup();
    const { deps, clock } = world;
    const stopped = await world.draft();
    const next = await world.draft();
    await deps.issues.takeSendingSlot(stopped.issueId, DRAFTED);
    clock.now = STARTED;

    const refusal = startIssue(deps, next.issueId, EDITOR);

    await expect(refusal).rejects.toThrow(IssueInProgressError);
    await expect(refusal).rejects.toMatchObject({ issueId: stopped.issueId });
    expect(await deps.issues.get(stopped.issueId)).toMatchObject({
      state: 'sending',
      startedAt: STARTED,
    });
    expect(await deps.issues.get(next.issueId)).toEqual(next);
    expect(deps.issues.slot?.issueId).toBe(stopped.issueId);
  });
});
