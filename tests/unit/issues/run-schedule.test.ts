import { describe, expect, it } from 'vitest';
import { approveIssue } from '#core/issues/approve-issue.ts';
import { draftIssue } from '#core/issues/draft-issue.ts';
import { moveIssue } from '#core/issues/move-issue.ts';
import { renderDraft } from '#core/issues/render-draft.ts';
import { runSchedule, runTick } from '#core/issues/run-schedule.ts';
import { scheduleIssue } from '#core/issues/schedule-issue.ts';
import { startIssue } from '#core/issues/start-issue.ts';
import type { IssueView } from '#core/rendering/issue-view.ts';
import type { RenderedIssue } from '#core/rendering/render-issue.ts';
import { memoryIssueDeps, sendEveryQueued, storedIssue } from '../fakes/memory-issue-deps.ts';
import { MemorySubscriberStore } from '../fakes/memory-stores.ts';
import { article } from '../support/articles.ts';
import { subscriber } from '../support/subscribers.ts';

const EDITOR = 'cli:editor';
const T0 = '2026-11-27T08:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

const UNSUBSCRIBE = 'marker_unsubscribe_7f3a0c1e9b2d';
const NAME = 'marker_name_9c1e5a7b3f60ab';

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

/** A list of `readers` with three stored articles, on the fakes; `clock.now` moves time. */
async function setup(readers = 2) {
  const clock = { now: T0 };
  let counter = 0;
  const subscribers = new MemorySubscriberStore();
  // Pushed directly: `add` looks for the address among all the others first.
  for (let n = 1; n <= readers; n++) subscribers.items.push(subscriber(n));
  const deps = memoryIssueDeps(subscribers, {
    renderIssue: fakeRender,
    newId: () => `01JISSUE${String(++counter).padStart(18, '0')}`,
    now: () => new Date(clock.now),
    archive: async () => {},
  });
  await deps.articles.putAll([
    article('one', '2026-11-01T00:00:00Z'),
    article('two', '2026-11-02T00:00:00Z'),
    article('three', '2026-11-03T00:00:00Z'),
  ]);
  /** An editor's draft of these articles, now; its id. */
  const draft = async (...articleIds: string[]) => {
    const drafted = await draftIssue(deps, { articleIds }, EDITOR);
    if (!drafted) throw new Error('nothing drafted');
    return drafted.issue.issueId;
  };
  const schedule = (issueId: string, minutes: number) =>
    scheduleIssue(deps, issueId, new Date(at(minutes)), EDITOR);
  const approve = (issueId: string) => approveIssue(deps, issueId, EDITOR);
  /** Each issue's state, by id. */
  const states = async () =>
    Object.fromEntries((await deps.issues.list()).map((issue) => [issue.issueId, issue.state]));
  return { deps, clock, draft, schedule, approve, states };
}

const free = { requireApproval: false };
const approvalOnly = { requireApproval: true };

describe('runSchedule', () => {
  it('carries on an issue that is sending and starts nothing, not even a due or approved one', async () => {
    const { deps, clock, draft, schedule, approve, states } = await setup(2);
    const sending = await draft('one');
    await startIssue(deps, sending, EDITOR);
    const approved = await draft('two');
    await approve(approved);
    const scheduled = await draft('three');
    await schedule(scheduled, 30);
    clock.now = at(60);
    // The queue lost its work list: carrying on enqueues the ledger's queued recipients again.
    deps.queue.idle = true;
    const before = deps.queue.subscriberIds.length;

    const outcome = await runSchedule(deps, free);

    expect(outcome).toEqual({ kind: 'busy', issueId: sending, state: 'sending', enqueued: 2 });
    expect(deps.queue.subscriberIds.length - before).toBe(2);
    expect(await states()).toEqual({
      [sending]: 'sending',
      [approved]: 'draft',
      [scheduled]: 'scheduled',
    });
    expect(deps.issues.slot?.issueId).toBe(sending);
  });

  it('leaves a paused issue paused and starts nothing', async () => {
    const { deps, draft, approve, states } = await setup();
    const paused = await draft('one');
    await startIssue(deps, paused, EDITOR);
    await moveIssue(deps.issues, paused, 'pause', { actor: EDITOR, at: new Date(T0) });
    const approved = await draft('two');
    await approve(approved);
    const queued = deps.queue.subscriberIds.length;

    const outcome = await runSchedule(deps, free);

    expect(outcome).toEqual({ kind: 'busy', issueId: paused, state: 'paused', enqueued: 0 });
    expect(await states()).toEqual({ [paused]: 'paused', [approved]: 'draft' });
    expect(deps.queue.subscriberIds).toHaveLength(queued);
    expect(deps.issues.slot?.issueId).toBe(paused);
  });

  it('sends a scheduled issue that is due rather than the approved draft', async () => {
    const { deps, clock, draft, schedule, approve, states } = await setup(2);
    const approved = await draft('one');
    await approve(approved);
    const scheduled = await draft('two');
    await schedule(scheduled, 60);
    clock.now = at(60);

    const outcome = await runSchedule(deps, approvalOnly);

    expect(outcome).toEqual({
      kind: 'started',
      issueId: scheduled,
      source: 'scheduled',
      enqueued: 2,
    });
    expect(await states()).toEqual({ [approved]: 'draft', [scheduled]: 'sending' });
    expect((await deps.issues.get(scheduled))?.timeline.at(-1)).toMatchObject({
      at: at(60),
      actor: 'schedule',
      action: 'send',
    });
    expect(deps.queue.subscriberIds).toEqual([subscriber(1).id, subscriber(2).id]);
  });

  it('sends the scheduled issue due first when several are due, whatever order they are listed in', async () => {
    const { deps, clock, draft, schedule, states } = await setup();
    // The list gives the newest id first: the one due first is listed last.
    const first = await draft('one');
    await schedule(first, 60);
    const second = await draft('two');
    await schedule(second, 90);
    clock.now = at(120);

    const outcome = await runSchedule(deps, free);

    expect(outcome).toEqual({ kind: 'started', issueId: first, source: 'scheduled', enqueued: 2 });
    expect(await states()).toEqual({ [first]: 'sending', [second]: 'scheduled' });
  });

  it('leaves a scheduled issue that is not yet due, and sends the approved draft', async () => {
    const { deps, clock, draft, schedule, approve, states } = await setup();
    const scheduled = await draft('one');
    await schedule(scheduled, 60);
    const approved = await draft('two');
    await approve(approved);
    clock.now = at(59);

    const outcome = await runSchedule(deps, approvalOnly);

    expect(outcome).toEqual({
      kind: 'started',
      issueId: approved,
      source: 'approved',
      enqueued: 2,
    });
    expect(await states()).toEqual({ [scheduled]: 'scheduled', [approved]: 'sending' });
    expect((await deps.issues.get(scheduled))?.scheduledAt).toBe(at(60));
  });

  it('sends the approved draft as it was rendered, to every reader', async () => {
    const { deps, clock, draft, approve } = await setup(3);
    const approved = await draft('one', 'two');
    const before = await approve(approved);
    clock.now = at(10);

    const outcome = await runSchedule(deps, approvalOnly);

    expect(outcome).toEqual({
      kind: 'started',
      issueId: approved,
      source: 'approved',
      enqueued: 3,
    });
    expect(await deps.issues.get(approved)).toMatchObject({
      state: 'sending',
      version: before.version,
      sha256: before.sha256,
      articleIds: ['one', 'two'],
      startedAt: at(10),
    });
    expect(deps.queue.subscriberIds).toHaveLength(3);
    expect(await deps.issues.list()).toHaveLength(1);
  });

  it('does not send a draft whose approval names an older version', async () => {
    const { deps, clock, draft, approve, states } = await setup();
    const drafted = await draft('one');
    await approve(drafted);
    clock.now = at(5);
    await renderDraft(deps, drafted, { subject: 'Changed after approval' }, EDITOR);

    const outcome = await runSchedule(deps, approvalOnly);

    expect(outcome).toEqual({ kind: 'nothing', reason: 'awaiting-approval' });
    expect(await states()).toEqual({ [drafted]: 'draft' });
    expect(deps.queue.subscriberIds).toEqual([]);
  });

  it('with requireApproval and nothing scheduled or approved, sends nothing and stores nothing', async () => {
    const { deps } = await setup();

    const outcome = await runSchedule(deps, approvalOnly);

    expect(outcome).toEqual({ kind: 'nothing', reason: 'awaiting-approval' });
    expect(await deps.issues.list()).toEqual([]);
    expect(deps.renderedIssues.items.size).toBe(0);
    expect(deps.issues.slot).toBeUndefined();
    expect(deps.queue.subscriberIds).toEqual([]);
  });

  it('without requireApproval, plans and sends a new issue that leaves a scheduled issue’s articles out', async () => {
    const { deps, draft, schedule, states } = await setup();
    const scheduled = await draft('one', 'three');
    await schedule(scheduled, 24 * 60);

    const outcome = await runSchedule(deps, free);

    expect(outcome).toMatchObject({ kind: 'started', source: 'planned' });
    const planned = outcome.kind === 'started' ? outcome.issueId : '';
    expect(planned).not.toBe(scheduled);
    expect((await deps.issues.get(planned))?.articleIds).toEqual(['two']);
    expect(await states()).toEqual({ [planned]: 'sending', [scheduled]: 'scheduled' });
  });

  it('without requireApproval and no new article, sends nothing new', async () => {
    const { deps, draft, schedule } = await setup();
    const scheduled = await draft('one', 'two', 'three');
    await schedule(scheduled, 60);

    const outcome = await runSchedule(deps, free);

    expect(outcome).toEqual({ kind: 'nothing', reason: 'nothing-new' });
    expect((await deps.issues.list()).map((issue) => issue.issueId)).toEqual([scheduled]);
  });

  it('takes a due scheduled issue whose articles went out meanwhile back to draft, saying why', async () => {
    const { deps, clock, draft, schedule } = await setup();
    const scheduled = await draft('one', 'two');
    await schedule(scheduled, 60);
    // As a start that raced the scheduling leaves it: an issue that began after the render,
    // carrying one of its articles, now sent.
    const other = '01JOTHER000000000000000001';
    await deps.issues.create(
      storedIssue(other, { state: 'sent', articleIds: ['two'], createdAt: at(10) }),
    );
    clock.now = at(60);

    const outcome = await runSchedule(deps, free);

    const detail = `not sent: issue ${other} carries two`;
    expect(outcome).toEqual({ kind: 'nothing', reason: 'outdated', issueId: scheduled, detail });
    const stored = await deps.issues.get(scheduled);
    expect(stored?.state).toBe('draft');
    expect(stored && 'scheduledAt' in stored).toBe(false);
    expect(stored?.timeline.at(-1)).toEqual({
      at: at(60),
      actor: 'schedule',
      action: 'unschedule',
      detail,
    });
    expect(deps.issues.slot).toBeUndefined();
    expect(deps.queue.subscriberIds).toEqual([]);
  });

  it('clears the approval of a draft whose articles went out meanwhile, saying why in its timeline', async () => {
    const { deps, clock, draft, approve } = await setup(2);
    const approved = await draft('one');
    await approve(approved);
    // An editor sends another issue with the same article after the approved draft's render.
    clock.now = at(10);
    const other = await draft('one', 'two');
    await startIssue(deps, other, EDITOR);
    await sendEveryQueued(deps.ledger, other, at(20));
    clock.now = at(60);

    const outcome = await runSchedule(deps, approvalOnly);

    const detail = `not sent: issue ${other} carries one`;
    expect(outcome).toEqual({ kind: 'nothing', reason: 'outdated', issueId: approved, detail });
    expect(await deps.issues.approval()).toBeUndefined();
    const stored = await deps.issues.get(approved);
    expect(stored?.state).toBe('draft');
    expect(stored?.timeline.at(-1)).toEqual({
      at: at(60),
      actor: 'schedule',
      action: 'unapprove',
      detail,
    });
    expect((await deps.issues.get(other))?.state).toBe('sent');
    expect(deps.issues.slot).toBeUndefined();
  });
});

describe('runTick', () => {
  it('sends a scheduled issue once it is due', async () => {
    const { deps, clock, draft, schedule, states } = await setup(2);
    const scheduled = await draft('one');
    await schedule(scheduled, 60);
    clock.now = at(60);

    const outcome = await runTick(deps);

    expect(outcome).toEqual({
      kind: 'started',
      issueId: scheduled,
      source: 'scheduled',
      enqueued: 2,
    });
    expect(await states()).toEqual({ [scheduled]: 'sending' });
    expect(deps.queue.subscriberIds).toHaveLength(2);
  });

  it('before it is due, sends nothing: never the approved draft, never a planned issue', async () => {
    const { deps, clock, draft, schedule, approve, states } = await setup();
    const scheduled = await draft('one');
    await schedule(scheduled, 60);
    const approved = await draft('two');
    await approve(approved);
    clock.now = at(59);

    const outcome = await runTick(deps);

    expect(outcome).toEqual({ kind: 'nothing', reason: 'nothing-due' });
    expect(await states()).toEqual({ [scheduled]: 'scheduled', [approved]: 'draft' });
    expect(deps.queue.subscriberIds).toEqual([]);
  });

  it('starts nothing while another issue sends, and starts the due issue at the tick after that one is sent', async () => {
    const { deps, clock, draft, schedule, states } = await setup(2);
    const sending = await draft('two');
    await startIssue(deps, sending, EDITOR);
    const scheduled = await draft('one');
    await schedule(scheduled, 60);
    clock.now = at(60);

    const whileSending = await runTick(deps);

    expect(whileSending).toMatchObject({ kind: 'busy', issueId: sending, state: 'sending' });
    expect(await states()).toEqual({ [sending]: 'sending', [scheduled]: 'scheduled' });

    await sendEveryQueued(deps.ledger, sending, at(61));
    clock.now = at(62);
    const afterwards = await runTick(deps);

    expect(afterwards).toEqual({
      kind: 'started',
      issueId: scheduled,
      source: 'scheduled',
      enqueued: 2,
    });
    expect(await states()).toEqual({ [sending]: 'sent', [scheduled]: 'sending' });
    expect((await deps.issues.get(scheduled))?.startedAt).toBe(at(62));
  });
});
