import { describe, expect, it } from 'vitest';
import { approveIssue, isApproved } from '#core/issues/approve-issue.ts';
import { draftIssue } from '#core/issues/draft-issue.ts';
import { IssueNotFoundError } from '#core/issues/issue-not-found-error.ts';
import { IssueStateError } from '#core/issues/issue-state-error.ts';
import { renderDraft } from '#core/issues/render-draft.ts';
import { scheduleIssue, unscheduleIssue } from '#core/issues/schedule-issue.ts';
import { memoryIssueDeps } from '../fakes/memory-issue-deps.ts';
import { MemorySubscriberStore } from '../fakes/memory-stores.ts';
import { article } from '../support/articles.ts';

const EDITOR = 'cli:editor';
const OTHER_EDITOR = 'cli:other';
const T0 = '2026-11-27T08:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

/** Two stored articles on the fakes, rendering without templates; `clock.now` moves time. */
async function setup() {
  const clock = { now: T0 };
  let counter = 0;
  const deps = memoryIssueDeps(new MemorySubscriberStore(), {
    renderIssue: async (view) => ({
      issueId: view.issueId,
      subject: view.subject,
      preheader: view.preheader ?? 'This week',
      html: `<p>${view.subject}</p>`,
      text: view.subject,
      markers: {
        unsubscribeUrl: 'marker_unsubscribe_7f3a0c1e9b2d',
        name: 'marker_name_9c1e5a7b3f60ab',
      },
    }),
    newId: () => `01JISSUE${String(++counter).padStart(18, '0')}`,
    now: () => new Date(clock.now),
    archive: async () => {},
  });
  await deps.articles.putAll([
    article('one', '2026-11-01T00:00:00Z'),
    article('two', '2026-11-02T00:00:00Z'),
  ]);
  const draft = async (...articleIds: string[]) => {
    const drafted = await draftIssue(deps, { articleIds }, EDITOR);
    if (!drafted) throw new Error('nothing drafted');
    return drafted.issue.issueId;
  };
  return { deps, clock, draft };
}

describe('approveIssue', () => {
  it('is withdrawn when the draft is scheduled, so unscheduling it does not make it approved again', async () => {
    const { deps, clock, draft } = await setup();
    const drafted = await draft('one');
    await approveIssue(deps, drafted, EDITOR);

    await scheduleIssue(deps, drafted, new Date(at(60)), EDITOR);
    clock.now = at(5);
    const back = await unscheduleIssue(deps, drafted, EDITOR);

    expect(back.state).toBe('draft');
    expect(await deps.issues.approval()).toBeUndefined();
  });

  it('records the approval of this version in the draft’s timeline and as the list’s approval', async () => {
    const { deps, clock, draft } = await setup();
    const drafted = await draft('one');
    const before = await deps.issues.get(drafted);
    clock.now = at(5);

    const approved = await approveIssue(deps, drafted, EDITOR);

    expect(approved).toEqual({
      ...before,
      timeline: [
        ...(before?.timeline ?? []),
        { at: at(5), actor: EDITOR, action: 'approve', detail: 'version 1' },
      ],
    });
    expect(await deps.issues.get(drafted)).toEqual(approved);
    const approval = await deps.issues.approval();
    expect(approval).toEqual({ issueId: drafted, version: 1, at: at(5), actor: EDITOR });
    expect(isApproved(approved, approval)).toBe(true);
  });

  it('approving another draft replaces the approval: one draft is approved at a time', async () => {
    const { deps, clock, draft } = await setup();
    const first = await draft('one');
    const second = await draft('two');
    await approveIssue(deps, first, EDITOR);
    clock.now = at(1);

    await approveIssue(deps, second, OTHER_EDITOR);

    const approval = await deps.issues.approval();
    expect(approval).toEqual({ issueId: second, version: 1, at: at(1), actor: OTHER_EDITOR });
    const issues = await deps.issues.list();
    expect(issues.filter((issue) => isApproved(issue, approval)).map((i) => i.issueId)).toEqual([
      second,
    ]);
  });

  it('a new version of the approved draft is not approved until approved again', async () => {
    const { deps, clock, draft } = await setup();
    const drafted = await draft('one');
    await approveIssue(deps, drafted, EDITOR);
    clock.now = at(1);

    const rendered = await renderDraft(deps, drafted, { subject: 'Changed' }, EDITOR);

    expect(rendered.issue.version).toBe(2);
    expect(isApproved(rendered.issue, await deps.issues.approval())).toBe(false);

    clock.now = at(2);
    const again = await approveIssue(deps, drafted, EDITOR);

    expect(again.timeline.at(-1)?.detail).toBe('version 2');
    expect(isApproved(again, await deps.issues.approval())).toBe(true);
  });

  it('refuses an issue that is not a draft, changing neither it nor the approval', async () => {
    const { deps, draft } = await setup();
    const scheduled = await draft('one');
    await scheduleIssue(deps, scheduled, new Date(at(60)), EDITOR);
    const before = await deps.issues.get(scheduled);

    const refusal = approveIssue(deps, scheduled, EDITOR);

    await expect(refusal).rejects.toThrow(IssueStateError);
    await expect(refusal).rejects.toThrow('is scheduled');
    expect(await deps.issues.get(scheduled)).toEqual(before);
    expect(await deps.issues.approval()).toBeUndefined();
  });

  it('refuses an issue that does not exist, approving nothing', async () => {
    const { deps } = await setup();

    await expect(approveIssue(deps, '01JMISSING0000000000000000', EDITOR)).rejects.toThrow(
      IssueNotFoundError,
    );
    expect(await deps.issues.approval()).toBeUndefined();
  });
});

describe('isApproved', () => {
  const approval = { issueId: '01JISSUE1', version: 2, at: T0, actor: EDITOR };

  it.each([
    {
      what: 'the draft and version approved',
      state: 'draft',
      id: '01JISSUE1',
      version: 2,
      expected: true,
    },
    { what: 'another version', state: 'draft', id: '01JISSUE1', version: 3, expected: false },
    { what: 'another draft', state: 'draft', id: '01JISSUE2', version: 2, expected: false },
    {
      what: 'the same issue, scheduled',
      state: 'scheduled',
      id: '01JISSUE1',
      version: 2,
      expected: false,
    },
    {
      what: 'the same issue, sending',
      state: 'sending',
      id: '01JISSUE1',
      version: 2,
      expected: false,
    },
  ] as const)('is $expected for $what', ({ state, id, version, expected }) => {
    expect(isApproved({ issueId: id, state, version }, approval)).toBe(expected);
  });

  it('is false when nothing is approved', () => {
    expect(isApproved({ issueId: '01JISSUE1', state: 'draft', version: 2 }, undefined)).toBe(false);
  });
});
