import { describe, expect, it } from 'vitest';
import { IssueNotFoundError } from '#core/issues/issue-not-found-error.ts';
import { allows, carriesArticles, type IssueAction } from '#core/issues/issue-state.ts';
import { IssueStateError } from '#core/issues/issue-state-error.ts';
import { IssueVersionError, moveIssue } from '#core/issues/move-issue.ts';
import type { IssueState } from '#core/issues/ports.ts';
import { storedIssue } from '../fakes/memory-issue-deps.ts';
import { MemoryIssueStore } from '../fakes/memory-stores.ts';

const ID = '01JISSUE000000000000000000';
const BY = { actor: 'cli:editor', at: new Date('2026-11-27T08:00:00Z') };

const states: IssueState[] = ['draft', 'scheduled', 'sending', 'paused', 'sent', 'cancelled'];
const actions: IssueAction[] = [
  'render',
  'test',
  'approve',
  'schedule',
  'unschedule',
  'send',
  'pause',
  'resume',
  'cancel',
  'finish',
];

/** The life of an issue, written out: each state's allowed actions and where they lead. */
const lifecycle: Record<IssueState, Partial<Record<IssueAction, IssueState>>> = {
  draft: {
    render: 'draft',
    test: 'draft',
    approve: 'draft',
    schedule: 'scheduled',
    send: 'sending',
    cancel: 'cancelled',
  },
  scheduled: { unschedule: 'draft', send: 'sending', cancel: 'cancelled' },
  sending: { pause: 'paused', cancel: 'cancelled', finish: 'sent' },
  paused: { resume: 'sending', cancel: 'cancelled', finish: 'sent' },
  sent: {},
  cancelled: {},
};

const pairs = states.flatMap((state) => actions.map((action) => ({ state, action })));
const allowed = pairs.flatMap(({ state, action }) => {
  const to = lifecycle[state][action];
  return to === undefined ? [] : [{ state, action, to }];
});
const refused = pairs.filter(({ state, action }) => lifecycle[state][action] === undefined);

/** A store holding one issue in `state`. */
async function storeWith(state: IssueState) {
  const issues = new MemoryIssueStore();
  const issue = storedIssue(ID, { state });
  await issues.create(issue);
  return { issues, issue };
}

describe('the issue lifecycle', () => {
  it.each(allowed)(
    'allows $action on a $state issue, which becomes $to',
    async ({ state, action, to }) => {
      const { issues, issue } = await storeWith(state);

      const moved = await moveIssue(issues, ID, action, BY, { detail: 'why' });

      const entry = { at: BY.at.toISOString(), actor: 'cli:editor', action, detail: 'why' };
      expect(allows(state, action)).toBe(true);
      expect(moved).toEqual({ ...issue, state: to, timeline: [entry] });
      expect(await issues.get(ID)).toEqual(moved);
    },
  );

  it.each(refused)(
    'refuses $action on a $state issue, naming its state and changing nothing',
    async ({ state, action }) => {
      const { issues, issue } = await storeWith(state);

      const refusal = moveIssue(issues, ID, action, BY, { changes: { subject: 'Changed' } });

      expect(allows(state, action)).toBe(false);
      await expect(refusal).rejects.toThrow(IssueStateError);
      await expect(refusal).rejects.toMatchObject({ issueId: ID, state, action });
      await expect(refusal).rejects.toThrow(`Issue ${ID} is ${state}:`);
      expect(await issues.get(ID)).toEqual(issue);
    },
  );

  it('writes the changes given with an allowed move', async () => {
    const { issues } = await storeWith('draft');

    const moved = await moveIssue(issues, ID, 'cancel', BY, { changes: { mailedNobody: true } });

    expect(moved).toMatchObject({ state: 'cancelled', mailedNobody: true });
    expect(await issues.get(ID)).toEqual(moved);
  });

  it('refuses a draft rendered again since the version given, naming both versions', async () => {
    const { issues, issue } = await storeWith('draft');
    await issues.move(ID, {
      from: ['draft'],
      to: 'draft',
      changes: { version: 2 },
      entry: { at: BY.at.toISOString(), actor: 'cli:other', action: 'render' },
    });
    const rendered = await issues.get(ID);

    const refusal = moveIssue(issues, ID, 'send', BY, { version: 1 });

    await expect(refusal).rejects.toThrow(IssueVersionError);
    await expect(refusal).rejects.toMatchObject({ expected: 1, current: 2 });
    expect(rendered).toMatchObject({ state: issue.state, version: 2 });
    expect(await issues.get(ID)).toEqual(rendered);
  });

  it('names the state, not the version, when the state forbids the action anyway', async () => {
    const { issues } = await storeWith('sent');

    const refusal = moveIssue(issues, ID, 'send', BY, { version: 7 });

    await expect(refusal).rejects.toThrow(IssueStateError);
  });

  it('refuses an issue that does not exist', async () => {
    const issues = new MemoryIssueStore();

    await expect(moveIssue(issues, ID, 'cancel', BY)).rejects.toThrow(IssueNotFoundError);
    expect(await issues.list()).toEqual([]);
  });
});

describe('carriesArticles', () => {
  it.each([
    ['a draft', 'draft', undefined, false],
    ['a sending issue', 'sending', undefined, true],
    ['a paused issue', 'paused', undefined, true],
    ['a sent issue', 'sent', undefined, true],
    ['a cancelled issue that may have mailed somebody', 'cancelled', undefined, true],
    ['a cancelled issue that mailed nobody', 'cancelled', true, false],
  ] as const)('tells whether %s carries its articles', (_what, state, mailedNobody, carries) => {
    const issue = storedIssue(ID, {
      state,
      ...(mailedNobody === undefined ? {} : { mailedNobody }),
    });

    expect(carriesArticles(issue)).toBe(carries);
  });
});
