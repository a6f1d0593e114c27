import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { moveIssue } from '#core/issues/move-issue.ts';
import type { IssueView } from '#core/rendering/issue-view.ts';
import type { RenderedIssue } from '#core/rendering/render-issue.ts';
import { createScheduledIssueHandler } from '#handlers/scheduled-issue.ts';
import { memoryIssueDeps } from '../fakes/memory-issue-deps.ts';
import { MemorySubscriberStore } from '../fakes/memory-stores.ts';
import { article } from '../support/articles.ts';
import { subscriber } from '../support/subscribers.ts';

/** The handler's clock and the issue's: the start of the invocation. */
const START = Date.parse('2026-11-27T08:00:00Z');

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
function setup(readers: number) {
  const clock = { now: START };
  const subscribers = new MemorySubscriberStore();
  // Pushed directly: `add` looks for the address among all the others first.
  subscribers.items.push(...Array.from({ length: readers }, (_, i) => subscriber(i + 1)));
  const deps = memoryIssueDeps(subscribers, {
    renderIssue: fakeRender,
    newId: () => '01ISSUE0000000000000000001',
    now: () => new Date(clock.now),
    archive: async () => {},
  });
  const logs: Record<string, unknown>[] = [];
  const handler = createScheduledIssueHandler(async () => ({
    deps,
    log: (line) => logs.push(line),
  }));
  return { deps, clock, logs, handler };
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

describe('scheduled-issue handler', () => {
  it('returns and logs the issue it started, with its articles and recipients enqueued', async () => {
    const { deps, logs, handler } = setup(3);
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);

    const result = await handler({}, remaining(60_000));

    expect(result).toEqual({
      issueId: '01ISSUE0000000000000000001',
      resumed: false,
      articles: 1,
      enqueued: 3,
    });
    expect(logs).toEqual([{ message: 'issue started', ...result }]);
  });

  it('returns the unfinished issue as resumed, with what it enqueued again', async () => {
    const { deps, handler } = setup(2);
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    const first = await handler({}, remaining(60_000));
    // The queue lost its work list: the ledger's queued recipients are enqueued again.
    deps.queue.idle = true;

    const second = await handler({}, remaining(60_000));

    expect(second).toEqual({
      issueId: first.issueId,
      resumed: true,
      articles: 1,
      enqueued: 2,
    });
  });

  it('returns and logs that there was nothing new to send', async () => {
    const { logs, handler } = setup(2);

    const result = await handler({}, remaining(60_000));

    expect(result).toEqual({ issueId: null, resumed: false, articles: 0, enqueued: 0 });
    expect(logs).toEqual([{ message: 'nothing new to send', ...result }]);
  });

  it('logs a warning and starts nothing while no subscriber is active, without failing the run', async () => {
    const { deps, logs, handler } = setup(0);
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);

    const result = await handler({}, remaining(60_000));

    expect(result).toEqual({ issueId: null, resumed: false, articles: 0, enqueued: 0 });
    expect(logs).toEqual([
      { level: 'warn', message: 'no active subscriber: issue not started', ...result },
    ]);
    expect(await deps.issues.list()).toEqual([]);
  });

  it('logs a warning and starts nothing while an editor keeps an issue paused, without failing the run', async () => {
    const { deps, logs, handler } = setup(2);
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    const first = await handler({}, remaining(60_000));
    await moveIssue(deps.issues, first.issueId ?? '', 'pause', {
      actor: 'cli:editor',
      at: new Date(START),
    });
    await deps.articles.putAll([article('two', '2026-11-02T00:00:00Z')]);
    logs.length = 0;

    const result = await handler({}, remaining(60_000));

    expect(result).toEqual({ issueId: null, resumed: false, articles: 0, enqueued: 0 });
    expect(logs).toEqual([
      { level: 'warn', message: 'an issue is paused', paused: first.issueId, ...result },
    ]);
    expect((await deps.issues.list()).map((issue) => issue.state)).toEqual(['paused']);
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

    expect(result.enqueued).toBe(enqueued);
    expect(deps.queue.steps).toHaveLength(steps);
  });
});
