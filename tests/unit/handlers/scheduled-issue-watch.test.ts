import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { moveIssue } from '#core/issues/move-issue.ts';
import { createScheduledIssueHandler } from '#handlers/scheduled-issue.ts';
import { ledgerRecord, memoryIssueDeps, storedIssue } from '../fakes/memory-issue-deps.ts';
import { MemorySubscriberStore } from '../fakes/memory-stores.ts';

/** The clock of the handler and of the stores: each tick is some minutes after this. */
const START = Date.parse('2026-11-27T08:00:00Z');
const at = (minutes: number) => new Date(START + minutes * 60_000);
const ISSUE = '01JISSUE000000000000000001';

/**
 * The issue builder on in-memory stores, as the stack runs it: watching at each tick, with
 * `pausedAlarmHours` of 2; `tick(minutes)` runs the minute tick then and gives what it logged.
 */
function setup(options: { pausedAlarmHours?: number } = { pausedAlarmHours: 2 }) {
  let now = START;
  const deps = memoryIssueDeps(new MemorySubscriberStore(), {
    renderIssue: async () => {
      throw new Error('nothing renders here');
    },
    newId: () => '01JUNUSED00000000000000000',
    now: () => new Date(now),
    archive: async () => {},
  });
  const logs: Record<string, unknown>[] = [];
  const handler = createScheduledIssueHandler(async () => ({
    deps,
    log: (line) => logs.push(line),
    requireApproval: false,
    ...options,
  }));
  const tick = async (minutes: number) => {
    now = at(minutes).getTime();
    vi.setSystemTime(now);
    logs.length = 0;
    await handler({ tick: true });
    return [...logs];
  };
  /** An issue sending since 0 at 20 messages a second, with one reader not sent yet. */
  const sending = async () => {
    await deps.issues.create(
      storedIssue(ISSUE, {
        startedAt: at(0).toISOString(),
        preparedAt: at(0).toISOString(),
        rate: 20,
        timeline: [{ at: at(0).toISOString(), actor: 'schedule', action: 'send' }],
      }),
    );
    await ledgerRecord(deps.ledger, ISSUE, 'reader-1', 'queued', at(0).toISOString());
  };
  return { deps, handler, logs, tick, sending };
}

const rateLine = { message: 'send rate cap', metric: 'SendRateCap', issueId: ISSUE, rate: 20 };

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(START);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('scheduled-issue handler, watching at the minute tick', () => {
  it('logs the rate of the issue sending at every tick: the cap its senders keep to', async () => {
    const { tick, sending } = setup();
    await sending();

    expect(await tick(0)).toEqual([rateLine]);
    expect(await tick(1)).toEqual([rateLine]);
  });

  it('warns with the IssueStalled metric once its ticks saw the issue stand still for an hour', async () => {
    const { tick, sending } = setup();
    await sending();

    const quiet = [await tick(0), await tick(30), await tick(59)];
    const stalled = await tick(60);

    expect(quiet).toEqual([[rateLine], [rateLine], [rateLine]]);
    expect(stalled).toEqual([
      rateLine,
      {
        level: 'warn',
        message: 'issue stalled',
        metric: 'IssueStalled',
        issueId: ISSUE,
        since: at(0).toISOString(),
        minutes: 60,
      },
    ]);
  });

  it('stops warning once a reader gets their outcome', async () => {
    const { deps, tick, sending } = setup();
    await sending();
    await tick(0);
    await tick(60);
    await deps.ledger.update(
      ISSUE,
      'reader-1',
      { status: ['queued'] },
      { status: 'sent', messageId: 'ses-1' },
      at(61).toISOString(),
    );

    expect(await tick(61)).toEqual([rateLine]);
  });

  it('warns with the IssuePausedTooLong metric once an issue has been paused pausedAlarmHours', async () => {
    const { deps, tick, sending } = setup();
    await sending();
    await moveIssue(deps.issues, ISSUE, 'pause', { actor: 'rates', at: at(10) });

    const before = await tick(10 + 119);
    const after = await tick(10 + 120);

    expect(before).toEqual([]);
    expect(after).toEqual([
      {
        level: 'warn',
        message: 'issue paused too long',
        metric: 'IssuePausedTooLong',
        issueId: ISSUE,
        since: at(10).toISOString(),
        hours: 2,
      },
    ]);
  });

  it('names issues only by id: no line carries an address', async () => {
    const { deps, tick, sending } = setup();
    await deps.subscriberPages.add({
      id: 'reader-1',
      email: 'ada@example.com',
      status: 'active',
      source: 'cli',
      createdAt: at(0).toISOString(),
    });
    await sending();
    await tick(0);

    const lines = await tick(60);

    expect(lines.map((line) => line.metric)).toEqual(['SendRateCap', 'IssueStalled']);
    expect(JSON.stringify(lines)).not.toContain('@');
  });

  it('fails the tick when the issues cannot be looked at, so that its errors alarm tells', async () => {
    const { deps, tick, sending } = setup();
    await sending();
    vi.spyOn(deps.ledger, 'counts').mockRejectedValue(new Error('DynamoDB is unreachable'));

    await expect(tick(0)).rejects.toThrow('DynamoDB is unreachable');
  });

  it('watches nothing at the recurring run, nor without pausedAlarmHours', async () => {
    const { handler, logs, sending } = setup();
    const unwatched = setup({});
    await sending();
    await unwatched.sending();

    await handler({});
    const tickLines = await unwatched.tick(0);

    expect(logs.map((line) => line.message)).toEqual(['an issue is sending: nothing started']);
    expect(tickLines).toEqual([]);
  });
});
