import { describe, expect, it } from 'vitest';
import { draftIssue } from '#core/issues/draft-issue.ts';
import { DraftOutdatedError } from '#core/issues/draft-outdated-error.ts';
import { IssueNotFoundError } from '#core/issues/issue-not-found-error.ts';
import { IssueStateError } from '#core/issues/issue-state-error.ts';
import { ScheduleTimeError, scheduleIssue, unscheduleIssue } from '#core/issues/schedule-issue.ts';
import { startIssue } from '#core/issues/start-issue.ts';
import type { IssueView } from '#core/rendering/issue-view.ts';
import type { RenderedIssue } from '#core/rendering/render-issue.ts';
import { memoryIssueDeps } from '../fakes/memory-issue-deps.ts';
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

/** One reader, three stored articles, on the fakes; `clock.now` moves time. */
async function setup() {
  const clock = { now: T0 };
  let counter = 0;
  const subscribers = new MemorySubscriberStore();
  subscribers.items.push(subscriber(1));
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
  /** An editor's draft, of these articles or else the planner's; its id. */
  const draft = async (...articleIds: string[]) => {
    const drafted = await draftIssue(deps, articleIds.length > 0 ? { articleIds } : {}, EDITOR);
    if (!drafted) throw new Error('nothing drafted');
    return drafted.issue.issueId;
  };
  const schedule = (issueId: string, minutes: number) =>
    scheduleIssue(deps, issueId, new Date(at(minutes)), EDITOR);
  return { deps, clock, draft, schedule };
}

describe('scheduleIssue', () => {
  it('makes a draft scheduled for the time given, as rendered, recording it in its timeline', async () => {
    const { deps, clock, draft, schedule } = await setup();
    const drafted = await draft('one');
    const before = await deps.issues.get(drafted);
    clock.now = at(5);

    const scheduled = await schedule(drafted, 24 * 60);

    expect(scheduled).toEqual({
      ...before,
      state: 'scheduled',
      scheduledAt: at(24 * 60),
      timeline: [
        ...(before?.timeline ?? []),
        { at: at(5), actor: EDITOR, action: 'schedule', detail: `for ${at(24 * 60)}` },
      ],
    });
    expect(await deps.issues.get(drafted)).toEqual(scheduled);
    expect(deps.issues.slot).toBeUndefined();
    expect(deps.queue.subscriberIds).toEqual([]);
  });

  it.each([
    ['now', 0],
    ['in the past', -1],
  ])('refuses a time that is %s, changing nothing', async (_when, minutes) => {
    const { deps, draft, schedule } = await setup();
    const drafted = await draft('one');
    const before = await deps.issues.list();

    const refusal = schedule(drafted, minutes);

    await expect(refusal).rejects.toThrow(ScheduleTimeError);
    await expect(refusal).rejects.toThrow(`${at(minutes)} is not in the future`);
    expect(await deps.issues.list()).toEqual(before);
  });

  it('refuses an issue that is not a draft, naming its state and changing nothing', async () => {
    const { deps, draft, schedule } = await setup();
    const scheduled = await draft('one');
    await schedule(scheduled, 60);
    const sending = await draft('two');
    await startIssue(deps, sending, EDITOR);
    const before = await deps.issues.list();

    const again = schedule(scheduled, 90);
    const started = schedule(sending, 90);

    await expect(again).rejects.toThrow(IssueStateError);
    await expect(again).rejects.toThrow('is scheduled');
    await expect(started).rejects.toThrow(IssueStateError);
    await expect(started).rejects.toThrow('is sending');
    expect(await deps.issues.list()).toEqual(before);
  });

  it('refuses an issue that does not exist', async () => {
    const { schedule } = await setup();

    await expect(schedule('01JMISSING0000000000000000', 60)).rejects.toThrow(IssueNotFoundError);
  });

  it('refuses a draft one of whose articles a scheduled issue carries, naming it and changing nothing', async () => {
    const { deps, draft, schedule } = await setup();
    const first = await draft('one', 'two');
    await schedule(first, 60);
    const second = await draft('two', 'three');
    const before = await deps.issues.list();

    const refusal = schedule(second, 120);

    await expect(refusal).rejects.toThrow(DraftOutdatedError);
    await expect(refusal).rejects.toMatchObject({ carriedBy: first, articleIds: ['two'] });
    expect(await deps.issues.list()).toEqual(before);
  });

  it('refuses a draft one of whose articles an issue that began sending after its render carries', async () => {
    const { deps, clock, draft, schedule } = await setup();
    const outdated = await draft('one');
    clock.now = at(1);
    const sending = await draft('one', 'two');
    await startIssue(deps, sending, EDITOR);

    const refusal = schedule(outdated, 60);

    await expect(refusal).rejects.toThrow(DraftOutdatedError);
    await expect(refusal).rejects.toMatchObject({ carriedBy: sending, articleIds: ['one'] });
    expect((await deps.issues.get(outdated))?.state).toBe('draft');
  });

  it('schedules an article an editor chose after the issue that carries it began sending', async () => {
    const { deps, clock, draft, schedule } = await setup();
    const sending = await draft('one');
    await startIssue(deps, sending, EDITOR);
    clock.now = at(1);
    const chosen = await draft('one', 'two');

    const scheduled = await schedule(chosen, 60);

    expect(scheduled.state).toBe('scheduled');
  });

  it('reserves its articles: the next draft leaves them out, and a draft with them cannot be sent', async () => {
    const { deps, draft, schedule } = await setup();
    const scheduled = await draft('one', 'three');
    await schedule(scheduled, 60);
    const sharing = await draft('three');

    const next = await draft();
    const refusal = startIssue(deps, sharing, EDITOR);

    expect((await deps.issues.get(next))?.articleIds).toEqual(['two']);
    await expect(refusal).rejects.toThrow(DraftOutdatedError);
    await expect(refusal).rejects.toMatchObject({ carriedBy: scheduled, articleIds: ['three'] });
    expect((await deps.issues.get(sharing))?.state).toBe('draft');
    expect(deps.issues.slot).toBeUndefined();
  });
});

describe('unscheduleIssue', () => {
  it('takes a scheduled issue back to draft without its time, freeing its articles', async () => {
    const { deps, clock, draft, schedule } = await setup();
    const drafted = await draft('one', 'three');
    const scheduled = await schedule(drafted, 60);
    clock.now = at(10);

    const unscheduled = await unscheduleIssue(deps, drafted, EDITOR);

    const { scheduledAt: _removed, ...rest } = scheduled;
    expect(unscheduled).toEqual({
      ...rest,
      state: 'draft',
      timeline: [...scheduled.timeline, { at: at(10), actor: EDITOR, action: 'unschedule' }],
    });
    expect(await deps.issues.get(drafted)).toEqual(unscheduled);
    expect((await deps.issues.get(await draft()))?.articleIds).toEqual(['three', 'two', 'one']);
  });

  it('says in the timeline why, when given a reason', async () => {
    const { deps, draft, schedule } = await setup();
    const drafted = await draft('one');
    await schedule(drafted, 60);

    const unscheduled = await unscheduleIssue(deps, drafted, 'schedule', 'its articles went out');

    expect(unscheduled.timeline.at(-1)).toEqual({
      at: T0,
      actor: 'schedule',
      action: 'unschedule',
      detail: 'its articles went out',
    });
  });

  it('refuses a draft, naming its state and changing nothing', async () => {
    const { deps, draft } = await setup();
    const drafted = await draft('one');
    const before = await deps.issues.get(drafted);

    const refusal = unscheduleIssue(deps, drafted, EDITOR);

    await expect(refusal).rejects.toThrow(IssueStateError);
    await expect(refusal).rejects.toThrow('is draft');
    expect(await deps.issues.get(drafted)).toEqual(before);
  });
});
