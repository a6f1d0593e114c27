import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { approveIssue } from '#core/issues/approve-issue.ts';
import { draftIssue } from '#core/issues/draft-issue.ts';
import { moveIssue } from '#core/issues/move-issue.ts';
import { scheduleIssue } from '#core/issues/schedule-issue.ts';
import { startIssue } from '#core/issues/start-issue.ts';
import type { IssueView } from '#core/rendering/issue-view.ts';
import type { RenderedIssue } from '#core/rendering/render-issue.ts';
import { createScheduledIssueHandler } from '#handlers/scheduled-issue.ts';
import {
  ledgerRecord,
  memoryIssueDeps,
  sendEveryQueued,
  storedIssue,
} from '../fakes/memory-issue-deps.ts';
import { MemorySubscriberStore } from '../fakes/memory-stores.ts';
import { article } from '../support/articles.ts';
import { subscriber } from '../support/subscribers.ts';

/** The handler's clock and the issue's: the start of the invocation. */
const START = Date.parse('2026-11-27T08:00:00Z');
const EDITOR = 'cli:editor';
const at = (minutes: number) => new Date(START + minutes * 60_000);

const UNSUBSCRIBE = 'marker_unsubscribe_7f3a0c1e9b2d';
const NAME = 'marker_name_9c1e5a7b3f60ab';

/** A stand-in for the MJML renderer, with the two per-recipient markers. */
async function fakeRender(view: IssueView): Promise<RenderedIssue> {
  return {
    issueId: view.issueId,
    subject: view.subject,
    preheader: view.preheader ?? 'This week',
    html: `<p>Hi ${NAME}</p><a href="${UNSUBSCRIBE}">Unsubscribe</a>`,
    text: `Unsubscribe: ${UNSUBSCRIBE}`,
    markers: { unsubscribeUrl: UNSUBSCRIBE, name: NAME },
  };
}

/** A handler on in-memory stores; `clock.now` is what the stores' `now` answers. */
function setup(readers: number, options: { requireApproval?: boolean } = {}) {
  const clock = { now: START };
  let counter = 0;
  const subscribers = new MemorySubscriberStore();
  // Pushed directly: `add` looks for the address among all the others first.
  subscribers.items.push(...Array.from({ length: readers }, (_, i) => subscriber(i + 1)));
  const deps = memoryIssueDeps(subscribers, {
    renderIssue: fakeRender,
    newId: () => `01ISSUE${String(++counter).padStart(19, '0')}`,
    now: () => new Date(clock.now),
    archive: async () => {},
  });
  const logs: Record<string, unknown>[] = [];
  const handler = createScheduledIssueHandler(async () => ({
    deps,
    log: (line) => logs.push(line),
    requireApproval: options.requireApproval ?? false,
  }));
  /** An editor's draft of these articles, now; its id. */
  const draft = async (...articleIds: string[]) => {
    const drafted = await draftIssue(deps, { articleIds }, EDITOR);
    if (!drafted) throw new Error('nothing drafted');
    return drafted.issue.issueId;
  };
  return { deps, clock, logs, handler, draft };
}

/** A context whose function has `ms` left. */
const remaining = (ms: number) => ({ getRemainingTimeInMillis: () => ms });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(START);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('scheduled-issue handler, the recurring run', () => {
  it('returns and logs the issue it planned and started, enqueueing every reader', async () => {
    const { deps, logs, handler } = setup(3);
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);

    const result = await handler({}, remaining(60_000));

    expect(result).toEqual({
      kind: 'started',
      issueId: '01ISSUE0000000000000000001',
      source: 'planned',
      enqueued: 3,
    });
    expect(logs).toEqual([{ message: 'issue started', run: 'schedule', ...result }]);
    expect(deps.queue.subscriberIds).toHaveLength(3);
  });

  it('carries on the issue sending, returning what it enqueued again, and starts nothing', async () => {
    const { deps, logs, handler } = setup(2);
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    const first = await handler({}, remaining(60_000));
    await deps.articles.putAll([article('two', '2026-11-02T00:00:00Z')]);
    // The queue lost its work list: the ledger's queued recipients are enqueued again.
    deps.queue.idle = true;
    logs.length = 0;

    const second = await handler({}, remaining(60_000));

    const issueId = first.kind === 'started' ? first.issueId : '';
    expect(second).toEqual({ kind: 'busy', issueId, state: 'sending', enqueued: 2 });
    expect(logs).toEqual([
      { message: 'an issue is sending: nothing started', run: 'schedule', ...second },
    ]);
    expect(await deps.issues.list()).toHaveLength(1);
  });

  it('logs that an issue is paused, and starts nothing', async () => {
    const { deps, logs, handler, draft } = setup(2);
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    const paused = await draft('one');
    await startIssue(deps, paused, EDITOR);
    await moveIssue(deps.issues, paused, 'pause', { actor: EDITOR, at: at(1) });
    await deps.articles.putAll([article('two', '2026-11-02T00:00:00Z')]);

    const result = await handler({}, remaining(60_000));

    expect(result).toEqual({ kind: 'busy', issueId: paused, state: 'paused', enqueued: 0 });
    expect(logs).toEqual([
      { message: 'an issue is paused: nothing started', run: 'schedule', ...result },
    ]);
    expect((await deps.issues.list()).map((issue) => issue.state)).toEqual(['paused']);
  });

  it('returns and logs that there was nothing new to send', async () => {
    const { logs, handler } = setup(2);

    const result = await handler({}, remaining(60_000));

    expect(result).toEqual({ kind: 'nothing', reason: 'nothing-new' });
    expect(logs).toEqual([{ message: 'nothing sent: nothing-new', run: 'schedule', ...result }]);
  });

  it('with requireApproval and nothing approved, warns with the ScheduleSentNothing metric and stores nothing', async () => {
    const { deps, logs, handler } = setup(2, { requireApproval: true });
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);

    const result = await handler({}, remaining(60_000));

    expect(result).toEqual({ kind: 'nothing', reason: 'awaiting-approval' });
    expect(logs).toEqual([
      {
        level: 'warn',
        message: 'the schedule sent nothing',
        run: 'schedule',
        kind: 'nothing',
        reason: 'awaiting-approval',
        metric: 'ScheduleSentNothing',
      },
    ]);
    expect(await deps.issues.list()).toEqual([]);
  });

  it('with requireApproval, sends the approved draft without a warning', async () => {
    const { deps, logs, handler, draft } = setup(2, { requireApproval: true });
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    const approved = await draft('one');
    await approveIssue(deps, approved, EDITOR);

    const result = await handler({}, remaining(60_000));

    expect(result).toEqual({ kind: 'started', issueId: approved, source: 'approved', enqueued: 2 });
    expect(logs).toEqual([{ message: 'issue started', run: 'schedule', ...result }]);
  });

  it('warns with the ScheduleSentNothing metric when the approved draft’s articles went out meanwhile', async () => {
    const { deps, clock, logs, handler, draft } = setup(1, { requireApproval: true });
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    const approved = await draft('one');
    await approveIssue(deps, approved, EDITOR);
    clock.now = at(10).getTime();
    const other = await draft('one');
    await startIssue(deps, other, EDITOR);
    await sendEveryQueued(deps.ledger, other, at(11).toISOString());
    clock.now = at(60).getTime();

    const result = await handler({}, remaining(60_000));

    const detail = `not sent: issue ${other} carries one`;
    expect(result).toEqual({ kind: 'nothing', reason: 'outdated', issueId: approved, detail });
    expect(logs).toEqual([
      {
        level: 'warn',
        message: 'the schedule sent nothing',
        run: 'schedule',
        kind: 'nothing',
        reason: 'outdated',
        issueId: approved,
        detail,
        metric: 'ScheduleSentNothing',
      },
    ]);
  });

  it('does not fail the run while no subscriber is active, storing nothing', async () => {
    const { deps, logs, handler } = setup(0);
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);

    const result = await handler({}, remaining(60_000));

    expect(result).toEqual({ kind: 'nothing', reason: 'no-active-subscriber' });
    expect(logs).toEqual([
      { message: 'nothing sent: no-active-subscriber', run: 'schedule', ...result },
    ]);
    expect(await deps.issues.list()).toEqual([]);
  });

  it('does not fail the run when another start holds the sending slot, naming its issue', async () => {
    const { deps, logs, handler, draft } = setup(2);
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    // Another start took the slot a moment ago and has not yet moved its draft to sending.
    const starting = await draft('one');
    await deps.issues.takeSendingSlot(starting, new Date(START).toISOString());

    const result = await handler({}, remaining(60_000));

    expect(result).toEqual({ kind: 'nothing', reason: 'in-progress', issueId: starting });
    expect(logs).toEqual([{ message: 'nothing sent: in-progress', run: 'schedule', ...result }]);
    expect(deps.issues.slot?.issueId).toBe(starting);
    expect(deps.queue.subscriberIds).toEqual([]);
  });

  it('does not fail the run when an issue is found paused as it plans, naming it', async () => {
    const { deps, logs, handler } = setup(2);
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    const paused = '01IPAUSED00000000000000001';
    await deps.issues.create(storedIssue(paused, { state: 'paused', articleIds: ['x'] }));
    // The schedule's first look found nothing underway: the issue was paused meanwhile.
    vi.spyOn(deps.issues, 'list').mockResolvedValueOnce([]);

    const result = await handler({}, remaining(60_000));

    expect(result).toEqual({ kind: 'nothing', reason: 'paused', issueId: paused });
    expect(logs).toEqual([{ message: 'nothing sent: paused', run: 'schedule', ...result }]);
    expect((await deps.issues.list()).map((issue) => issue.issueId)).toEqual([paused]);
  });

  it('fails the run on any other error, so that the scheduler retries it', async () => {
    const { deps, handler } = setup(2);
    vi.spyOn(deps.issues, 'list').mockRejectedValueOnce(new Error('DynamoDB is unreachable'));

    await expect(handler({}, remaining(60_000))).rejects.toThrow('DynamoDB is unreachable');
  });

  // Preparing checks the deadline between pages of 1,000 subscribers: 1,001 need two.
  it.each([
    ['goes on preparing just before', 7_999, 1_001, 0],
    ['hands the rest to send-batch just after', 8_001, 1_000, 1],
  ])('%s 80 % of the time the invocation has left', async (_what, elapsed, enqueued, steps) => {
    const { deps, clock, handler } = setup(1_001);
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    clock.now = START + elapsed;

    const result = await handler({}, remaining(10_000));

    expect(result.kind).toBe('started');
    expect(deps.queue.subscriberIds).toHaveLength(enqueued);
    expect(deps.queue.steps).toHaveLength(steps);
  });
});

describe('scheduled-issue handler, the minute tick', () => {
  it('sends a scheduled issue once it is due, and logs it', async () => {
    const { deps, clock, logs, handler, draft } = setup(2);
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    const scheduled = await draft('one');
    await scheduleIssue(deps, scheduled, at(60), EDITOR);
    clock.now = at(60).getTime();

    const result = await handler({ tick: true }, remaining(60_000));

    expect(result).toEqual({
      kind: 'started',
      issueId: scheduled,
      source: 'scheduled',
      enqueued: 2,
    });
    expect(logs).toEqual([{ message: 'issue started', run: 'tick', ...result }]);
    expect((await deps.issues.get(scheduled))?.state).toBe('sending');
  });

  it('does not fail the tick when the recurring run started the due issue a moment before', async () => {
    const { deps, clock, logs, handler, draft } = setup(2);
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    const scheduled = await draft('one');
    await scheduleIssue(deps, scheduled, at(60), EDITOR);
    clock.now = at(60).getTime();
    // The tick reads the issues, then the other run moves the due one to sending.
    const list = deps.issues.list.bind(deps.issues);
    deps.issues.list = async () => {
      const read = await list();
      const issue = deps.issues.items.get(scheduled);
      if (issue) issue.state = 'sending';
      return read;
    };

    const result = await handler({ tick: true }, remaining(60_000));

    expect(result).toEqual({ kind: 'nothing', reason: 'in-progress', issueId: scheduled });
    expect(logs).toEqual([]);
  });

  it('with nothing due, plans nothing and logs nothing', async () => {
    const { deps, logs, handler } = setup(2);
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);

    const result = await handler({ tick: true }, remaining(60_000));

    expect(result).toEqual({ kind: 'nothing', reason: 'nothing-due' });
    expect(logs).toEqual([]);
    expect(await deps.issues.list()).toEqual([]);
  });

  it('warns with the ScheduleSentNothing metric when a due issue’s articles went out meanwhile', async () => {
    const { deps, clock, logs, handler, draft } = setup(1);
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    const scheduled = await draft('one');
    await scheduleIssue(deps, scheduled, at(60), EDITOR);
    // As a start that raced the scheduling leaves it: an issue begun after the render, sent.
    const other = '01IOTHER000000000000000001';
    await deps.issues.create(
      storedIssue(other, { state: 'sent', articleIds: ['one'], createdAt: at(5).toISOString() }),
    );
    clock.now = at(60).getTime();

    const result = await handler({ tick: true }, remaining(60_000));

    const detail = `not sent: issue ${other} carries one`;
    expect(result).toEqual({ kind: 'nothing', reason: 'outdated', issueId: scheduled, detail });
    expect(logs).toEqual([
      {
        level: 'warn',
        message: 'the schedule sent nothing',
        run: 'tick',
        kind: 'nothing',
        reason: 'outdated',
        issueId: scheduled,
        detail,
        metric: 'ScheduleSentNothing',
      },
    ]);
    expect((await deps.issues.get(scheduled))?.state).toBe('draft');
  });
});

describe('scheduled-issue handler, the minute tick during a canary', () => {
  it('ends the canary once its wait is over, enqueueing the held readers, and logs it', async () => {
    const { deps, clock, logs, handler } = setup(0);
    const issueId = '01ISSUE0000000000000000009';
    const canary = { percent: 10, recipients: 1, until: at(30).toISOString() };
    await deps.issues.create(storedIssue(issueId, { preparedAt: at(0).toISOString(), canary }));
    await ledgerRecord(deps.ledger, issueId, subscriber(1).id, 'sent', at(1).toISOString());
    for (const n of [2, 3]) {
      await ledgerRecord(deps.ledger, issueId, subscriber(n).id, 'held', at(0).toISOString());
    }
    clock.now = at(29).getTime();
    const early = await handler({ tick: true });
    clock.now = at(30).getTime();
    const due = await handler({ tick: true });

    expect(early).toEqual({ kind: 'nothing', reason: 'nothing-due' });
    expect(due).toEqual({ kind: 'canary-over', issueId, enqueued: 2 });
    expect(logs).toEqual([
      { message: 'the canary is over: the rest of the issue is enqueued', run: 'tick', ...due },
    ]);
    expect([...deps.queue.subscriberIds].sort()).toEqual([subscriber(2).id, subscriber(3).id]);
  });
});
