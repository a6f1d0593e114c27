import { describe, expect, it } from 'vitest';
import { cancelIssue } from '#core/issues/cancel-issue.ts';
import { endCanary } from '#core/issues/end-canary.ts';
import { finishIssue } from '#core/issues/issue-status.ts';
import type { IssueCanary, IssueState } from '#core/issues/ports.ts';
import { restoreWorkList } from '#core/issues/prepare-issue.ts';
import { resumeIssue } from '#core/issues/resume-issue.ts';
import { runTick } from '#core/issues/run-schedule.ts';
import type { SendStatus } from '#core/sending/ports.ts';
import { ledgerRecord, memoryIssueDeps, storedIssue } from '../fakes/memory-issue-deps.ts';
import { MemorySubscriberStore } from '../fakes/memory-stores.ts';
import { subscriber } from '../support/subscribers.ts';

const ISSUE = '01JISSUE000000000000000001';
const EDITOR = 'cli:editor';
const STARTED = '2026-11-27T08:00:00.000Z';
const UNTIL = '2026-11-27T08:30:00.000Z';
const at = (minutes: number) => new Date(Date.parse(STARTED) + minutes * 60_000).toISOString();

/** The canary of the issue: 3 recipients picked, the rest waiting until `UNTIL`. */
const CANARY: IssueCanary = { percent: 30, recipients: 3, until: UNTIL };

/**
 * A prepared issue in `state` whose canary of 3 went out (2 sent, 1 still queued) while 5
 * recipients are held back, and 1 reader left; the clock at `clock.now`.
 */
async function setup(state: IssueState = 'sending') {
  const clock = { now: at(10) };
  const deps = memoryIssueDeps(new MemorySubscriberStore(), {
    renderIssue: async () => {
      throw new Error('nothing is rendered here');
    },
    newId: () => '01JNEW00000000000000000001',
    now: () => new Date(clock.now),
    archive: async () => {},
  });
  await deps.issues.create(storedIssue(ISSUE, { state, preparedAt: STARTED, canary: CANARY }));
  await deps.issues.takeSendingSlot(ISSUE, STARTED);
  const statuses: SendStatus[] = [
    'sent',
    'held',
    'held',
    'sent',
    'queued',
    'held',
    'suppressed',
    'held',
    'held',
  ];
  for (const [index, status] of statuses.entries()) {
    await ledgerRecord(deps.ledger, ISSUE, subscriber(index + 1).id, status, STARTED);
  }
  const ids = (...readers: number[]) => readers.map((n) => subscriber(n).id);
  const stored = async () => {
    const issue = await deps.issues.get(ISSUE);
    if (!issue) throw new Error('the issue is gone');
    return issue;
  };
  return { deps, clock, ids, stored };
}

describe('endCanary', () => {
  it('does nothing before the wait is over', async () => {
    const { deps, clock, stored } = await setup();
    clock.now = at(29);
    const before = await stored();

    const ended = await endCanary(deps, before);

    expect(ended).toBeUndefined();
    expect(await stored()).toEqual(before);
    expect(deps.queue.messages).toEqual([]);
  });

  it('once the wait is over, ends the canary and enqueues the held recipients with those not done', async () => {
    const { deps, clock, ids, stored } = await setup();
    clock.now = at(30);

    const enqueued = await endCanary(deps, await stored());

    const issue = await stored();
    expect(enqueued).toBe(6);
    expect([...deps.queue.subscriberIds].sort()).toEqual(ids(2, 3, 5, 6, 8, 9));
    expect(issue.canary).toEqual({ ...CANARY, endedAt: at(30) });
    expect(issue.state).toBe('sending');
    expect(issue.timeline.at(-1)).toEqual({
      at: at(30),
      actor: 'canary',
      action: 'canary',
      detail: 'canary over: 2 sent; sending the other 5',
    });
  });

  it('enqueues the rest once when two processes end the canary at once', async () => {
    const { deps, clock, ids, stored } = await setup();
    clock.now = at(31);
    const issue = await stored();

    const outcomes = await Promise.all([endCanary(deps, issue), endCanary(deps, issue)]);

    expect([...outcomes].sort()).toEqual([6, undefined]);
    expect([...deps.queue.subscriberIds].sort()).toEqual(ids(2, 3, 5, 6, 8, 9));
    const entries = (await stored()).timeline.filter((entry) => entry.action === 'canary');
    expect(entries).toHaveLength(1);
  });

  it('leaves a paused issue’s canary alone after its wait: the resume ends it', async () => {
    const { deps, clock, stored } = await setup('paused');
    clock.now = at(40);
    const before = await stored();

    const ended = await endCanary(deps, before);

    expect(ended).toBeUndefined();
    expect(await stored()).toEqual(before);
    expect(deps.queue.messages).toEqual([]);
  });
});

describe('runTick during a canary', () => {
  it('ends nothing before the wait is over, and reports nothing due', async () => {
    const { deps, clock, stored } = await setup();
    clock.now = at(29);

    const outcome = await runTick(deps);

    expect(outcome).toEqual({ kind: 'nothing', reason: 'nothing-due' });
    expect((await stored()).canary).toEqual(CANARY);
    expect(deps.queue.messages).toEqual([]);
  });

  it('ends the canary once its wait is over, and says how many it enqueued', async () => {
    const { deps, clock, ids, stored } = await setup();
    clock.now = at(30);

    const outcome = await runTick(deps);

    expect(outcome).toEqual({ kind: 'canary-over', issueId: ISSUE, enqueued: 6 });
    expect((await stored()).canary?.endedAt).toBe(at(30));
    expect([...deps.queue.subscriberIds].sort()).toEqual(ids(2, 3, 5, 6, 8, 9));
  });
});

describe('restoreWorkList during a canary', () => {
  it('puts back the canary’s unfinished recipients and none of those held back', async () => {
    const { deps, ids, stored } = await setup();

    const enqueued = await restoreWorkList(deps, await stored());

    expect(enqueued).toBe(1);
    expect(deps.queue.subscriberIds).toEqual(ids(5));
  });
});

describe('resumeIssue during a canary', () => {
  it('ends the canary with the resume and enqueues everyone not sent, the held ones too', async () => {
    const { deps, ids, stored } = await setup('paused');

    const { issue, enqueued } = await resumeIssue(deps, ISSUE, EDITOR);

    expect(enqueued).toBe(6);
    expect([...deps.queue.subscriberIds].sort()).toEqual(ids(2, 3, 5, 6, 8, 9));
    expect(issue.canary).toEqual({ ...CANARY, endedAt: at(10) });
    expect(await stored()).toEqual(issue);
    expect(issue.timeline.at(-1)).toEqual({
      at: at(10),
      actor: EDITOR,
      action: 'resume',
      detail: 'the canary ends: the held recipients go now',
    });
  });
});

describe('cancelIssue during a canary', () => {
  it('cancels the held records as it cancels the queued ones', async () => {
    const { deps, stored } = await setup();

    await cancelIssue(deps, ISSUE, EDITOR);

    expect((await stored()).state).toBe('cancelled');
    expect(await deps.ledger.counts(ISSUE)).toMatchObject({
      queued: 0,
      held: 0,
      cancelled: 6,
      sent: 2,
    });
  });
});

describe('finishIssue during a canary', () => {
  it('is not done while records are held back, though every other one has its outcome', async () => {
    const { deps, ids, stored } = await setup();
    await deps.ledger.update(
      ISSUE,
      ids(5)[0] as string,
      { status: ['queued'] },
      { status: 'sent' },
      at(5),
    );

    const { status, done } = await finishIssue(deps, await stored(), new Date(at(10)), {
      exact: true,
    });

    expect(done).toBe(false);
    expect(status).toMatchObject({ queued: 5, sent: 3, recipients: 8 });
    expect((await stored()).state).toBe('sending');
  });
});
