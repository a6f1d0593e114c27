import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '#core/common/config.ts';
import { moveIssue } from '#core/issues/move-issue.ts';
import type { Issue } from '#core/issues/ports.ts';
import { type IssueProgress, watchIssues } from '#core/issues/watch-issues.ts';
import type { SendStatus } from '#core/sending/ports.ts';
import { ledgerRecord, storedIssue } from '../fakes/memory-issue-deps.ts';
import { MemoryIssueStore, MemorySendLedger } from '../fakes/memory-stores.ts';

/** The start of every issue here; each look is some minutes after it. */
const START = Date.parse('2026-11-27T08:00:00Z');
const at = (minutes: number) => new Date(START + minutes * 60_000).toISOString();
const HOURS = 60;
const ISSUE = '01JISSUE000000000000000001';
const EDITOR = { actor: 'cli:editor' };

/** The default of `pausedAlarmHours`, as the committed configuration leaves it. */
const defaultPausedAlarmHours = parseConfig(
  JSON.parse(readFileSync(new URL('../../../newsletter.config.json', import.meta.url), 'utf8')),
  {},
).pausedAlarmHours;

/** The stores, and looks taken as the minute tick takes them: each hands its `seen` on. */
function setup() {
  const issues = new MemoryIssueStore();
  const ledger = new MemorySendLedger();
  let now = new Date(START);
  let seen: IssueProgress[] = [];
  const deps = { config: { sendRate: 14 }, issues, ledger, now: () => now };
  /** A look `minutes` after the start; what it found. */
  const look = async (minutes: number, pausedAlarmHours = 24) => {
    now = new Date(at(minutes));
    const looked = await watchIssues(deps, { pausedAlarmHours, seen });
    seen = looked.seen;
    return looked.watches;
  };
  /** A sending issue started at 0, prepared, with these records (added at 0). */
  const sending = async (records: SendStatus[], changes: Partial<Issue> = {}) => {
    await issues.create(
      storedIssue(ISSUE, {
        startedAt: at(0),
        preparedAt: at(0),
        rate: 20,
        timeline: [{ at: at(0), actor: 'schedule', action: 'send' }],
        ...changes,
      }),
    );
    for (const [n, status] of records.entries()) {
      await ledgerRecord(ledger, ISSUE, `reader-${n + 1}`, status, at(0));
    }
  };
  /** Moves one reader's record, as a sender or an SES event would, at `minutes`. */
  const move = (n: number, from: SendStatus, to: SendStatus, minutes: number) =>
    ledger.update(ISSUE, `reader-${n}`, { status: [from] }, { status: to }, at(minutes));
  return { issues, ledger, look, sending, move, seen: () => seen };
}

describe('watchIssues, an issue sending', () => {
  it('is advancing while its readers keep getting their outcome, as of the latest', async () => {
    const { look, sending, move } = setup();
    await sending(['queued', 'queued', 'queued']);

    await look(0);
    await move(1, 'queued', 'sent', 30);
    await look(30);
    await move(2, 'queued', 'failed', 80);
    const watches = await look(80);
    const later = await look(139);

    expect(watches).toEqual([{ kind: 'advancing', issueId: ISSUE, rate: 20, since: at(80) }]);
    expect(later).toEqual(watches);
  });

  it('is stalled once an hour of looks saw no outcome, naming when it last advanced', async () => {
    const { look, sending, move } = setup();
    await sending(['queued', 'queued']);
    await look(0);
    await move(1, 'queued', 'sent', 10);
    await look(10);

    const almost = await look(69);
    const stalled = await look(70);

    expect(almost).toEqual([{ kind: 'advancing', issueId: ISSUE, rate: 20, since: at(10) }]);
    expect(stalled).toEqual([
      { kind: 'stalled', issueId: ISSUE, rate: 20, since: at(10), minutes: 60 },
    ]);
  });

  it('is not advancing while its records only go between queued, claimed and unknown', async () => {
    const { look, sending, move } = setup();
    await sending(['queued', 'queued']);
    await look(0);

    // SES refuses, the record goes back; a call gets no answer.
    await move(1, 'queued', 'claimed', 20);
    await look(20);
    await move(1, 'claimed', 'queued', 21);
    await move(2, 'queued', 'claimed', 40);
    await move(2, 'claimed', 'unknown', 41);
    await look(41);

    expect(await look(60)).toEqual([
      { kind: 'stalled', issueId: ISSUE, rate: 20, since: at(0), minutes: 60 },
    ]);
  });

  it('is advancing while its ledger grows, the list being prepared', async () => {
    const { ledger, look, sending } = setup();
    await sending(['queued'], { preparedAt: undefined });
    await look(0);

    await ledger.addMissing(ISSUE, [{ subscriberId: 'reader-2', status: 'queued' }], at(50));

    expect(await look(50)).toEqual([
      { kind: 'advancing', issueId: ISSUE, rate: 20, since: at(50) },
    ]);
    expect(await look(109)).toEqual([
      { kind: 'advancing', issueId: ISSUE, rate: 20, since: at(50) },
    ]);
  });

  it('is never found stalled at a first look, however long it stood still before', async () => {
    const { look, sending } = setup();
    await sending(['queued']);

    expect(await look(5 * HOURS)).toEqual([
      { kind: 'advancing', issueId: ISSUE, rate: 20, since: at(5 * HOURS) },
    ]);
  });

  it('counts from its latest resume when that came after the last outcome', async () => {
    const { issues, look, sending } = setup();
    await sending(['queued']);
    await look(0);
    await moveIssue(issues, ISSUE, 'pause', { ...EDITOR, at: new Date(at(20)) });
    await moveIssue(issues, ISSUE, 'resume', { ...EDITOR, at: new Date(at(50)) });

    expect(await look(109)).toEqual([
      { kind: 'advancing', issueId: ISSUE, rate: 20, since: at(50) },
    ]);
    expect(await look(110)).toEqual([
      { kind: 'stalled', issueId: ISSUE, rate: 20, since: at(50), minutes: 60 },
    ]);
  });

  it('waits out its canary, however long, and counts from the end of the wait', async () => {
    const { look, sending } = setup();
    const until = at(3 * HOURS);
    await sending(['sent', 'held', 'held'], { canary: { percent: 10, recipients: 1, until } });

    const waiting = [await look(0), await look(2 * HOURS), await look(3 * HOURS - 1)];
    // Nobody ended the canary when its wait was over.
    const after = await look(3 * HOURS + 59);
    const stalled = await look(4 * HOURS);

    for (const watches of waiting) {
      expect(watches).toEqual([{ kind: 'canary-wait', issueId: ISSUE, rate: 20, until }]);
    }
    expect(after).toEqual([{ kind: 'advancing', issueId: ISSUE, rate: 20, since: until }]);
    expect(stalled).toEqual([
      { kind: 'stalled', issueId: ISSUE, rate: 20, since: until, minutes: 60 },
    ]);
  });

  it('is settled, not stalled, once every record has its outcome and nobody marked it sent', async () => {
    const { look, sending } = setup();
    await sending(['sent', 'failed', 'suppressed']);

    const looks = [await look(0), await look(2 * HOURS)];

    for (const watches of looks) {
      expect(watches).toEqual([{ kind: 'settled', issueId: ISSUE, rate: 20 }]);
    }
  });

  it('keeps to the configured sendRate when the issue has no rate of its own', async () => {
    const { look, sending } = setup();
    await sending(['queued'], { rate: undefined });

    expect(await look(0)).toEqual([{ kind: 'advancing', issueId: ISSUE, rate: 14, since: at(0) }]);
  });
});

describe('watchIssues, an issue paused', () => {
  /** An issue started at 0 and paused at `minutes`, by hand or by its rates. */
  async function paused(issues: MemoryIssueStore, ...pauses: number[]) {
    await issues.create(
      storedIssue(ISSUE, {
        startedAt: at(0),
        timeline: [{ at: at(0), actor: 'schedule', action: 'send' }],
      }),
    );
    for (const [n, minutes] of pauses.entries()) {
      if (n > 0)
        await moveIssue(issues, ISSUE, 'resume', { ...EDITOR, at: new Date(at(minutes - 1)) });
      await moveIssue(issues, ISSUE, 'pause', { actor: 'rates', at: new Date(at(minutes)) });
    }
  }

  it('is paused too long from the default pausedAlarmHours, a day, on', async () => {
    const { issues, look } = setup();
    await paused(issues, 10);

    const before = await look(10 + 24 * HOURS - 1, defaultPausedAlarmHours);
    const after = await look(10 + 24 * HOURS, defaultPausedAlarmHours);

    expect(defaultPausedAlarmHours).toBe(24);
    expect(before).toEqual([{ kind: 'paused', issueId: ISSUE, since: at(10), hours: 23 }]);
    expect(after).toEqual([{ kind: 'paused-too-long', issueId: ISSUE, since: at(10), hours: 24 }]);
  });

  it('counts from its latest pause, with the pausedAlarmHours given', async () => {
    const { issues, look } = setup();
    await paused(issues, 10, 5 * HOURS);

    expect(await look(7 * HOURS, 3)).toEqual([
      { kind: 'paused', issueId: ISSUE, since: at(5 * HOURS), hours: 2 },
    ]);
    expect(await look(8 * HOURS, 3)).toEqual([
      { kind: 'paused-too-long', issueId: ISSUE, since: at(5 * HOURS), hours: 3 },
    ]);
  });
});

describe('watchIssues, other issues', () => {
  it('looks at no draft, scheduled, sent or cancelled issue, and forgets an issue once sent', async () => {
    const { issues, look, sending, seen } = setup();
    await sending(['queued']);
    for (const state of ['draft', 'scheduled', 'cancelled'] as const) {
      await issues.create(storedIssue(`01JOTHER${state.toUpperCase().padEnd(18, '0')}`, { state }));
    }

    const first = await look(0);
    await moveIssue(issues, ISSUE, 'finish', { actor: 'ledger', at: new Date(at(1)) });
    const afterwards = await look(2);

    expect(first.map((watch) => watch.issueId)).toEqual([ISSUE]);
    expect(afterwards).toEqual([]);
    expect(seen()).toEqual([]);
  });
});
