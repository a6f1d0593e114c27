import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tables } from '#adapters/tables.ts';
import type { LocalRuntime } from '#cli/local/local-runtime.ts';
import type { Article } from '#core/articles/article.ts';
import type { Config } from '#core/common/config.ts';
import { draftIssue } from '#core/issues/draft-issue.ts';
import type { IssueDeps } from '#core/issues/issue-deps.ts';
import { finishIssue } from '#core/issues/issue-status.ts';
import { pauseIssue } from '#core/issues/pause-issue.ts';
import { resumeIssue } from '#core/issues/resume-issue.ts';
import { runSchedule, runTick } from '#core/issues/run-schedule.ts';
import { startIssue } from '#core/issues/start-issue.ts';
import {
  type ProvisionedAws,
  perAddress as perAddressOf,
  SEND_WAIT_MS,
  startClockedIssues,
  startSenders as startRuntime,
  stopSenders,
  untilSent,
  wipe,
} from './support/clocked-issues.ts';

// The canary (issue 12) on the embedded services, with a clock the tests move, set up as in
// schedule-clock.test.ts (see `support/clocked-issues.ts`): the issue code in-process on the
// real adapters, `now()` read from `clock`; the real senders run by the local runtime, every
// message reaching the local SES's outbox. One configuration for the issue code and the
// senders: a canary of 10 % of the 20 readers, at least `pauseMinOutcomes` (5), so 5 readers
// first, the other 15 after `canaryWaitMinutes` (30).

const EDITOR = 'cli:editor';
const READERS = Array.from(
  { length: 20 },
  (_, i) => `reader${String(i + 1).padStart(2, '0')}@example.com`,
);
const CANARY = 5;
const SETTINGS = { canaryPercent: 10, pauseMinOutcomes: CANARY, canaryWaitMinutes: 30 };
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Where every test's clock starts. */
const T0 = Date.parse('2026-11-27T08:00:00.000Z');
const MUSEUM = 'inside-the-midnight-museum-tour-that-sold-out-in-four-minutes';

let local: ProvisionedAws;
let config: Config;
let deps: IssueDeps;
let samples: Map<string, Article>;
/** Each reader's subscriber id, by address. */
let readerIds: Map<string, string>;
const clock = { now: T0 };
let runtime: LocalRuntime | undefined;

beforeAll(async () => {
  ({ local, config, deps, samples, readerIds } = await startClockedIssues({
    clock,
    readers: READERS,
    settings: SETTINGS,
  }));
}, 120_000);

beforeEach(async () => {
  // Each test starts with one article, published the day before, and no issue.
  await wipe(local, tables.issues);
  await wipe(local, tables.articles);
  clock.now = T0;
  await deps.articles.putAll([
    { ...(samples.get(MUSEUM) as Article), publishedAt: new Date(T0 - DAY).toISOString() },
  ]);
  runtime = await startRuntime(local, config);
});

afterEach(async () => {
  await stopSenders(runtime);
  runtime = undefined;
});

afterAll(async () => {
  await local?.stop();
});

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Waits until the senders have nothing left of the issue: the send queue holds no message
 * (none waiting, delayed or in flight: a page leaves it once its messages are sent) and the
 * ledger has no record `queued` or `claimed`.
 */
async function untilSendersIdle(issueId: string): Promise<void> {
  const until = Date.now() + SEND_WAIT_MS;
  for (;;) {
    const counts = await deps.ledger.counts(issueId);
    if ((await deps.queue.isIdle()) && counts.queued === 0 && counts.claimed === 0) return;
    if (Date.now() > until) {
      throw new Error(`the senders still work on issue ${issueId}: ${JSON.stringify(counts)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Messages of the issue per address in the local SES's outbox. */
function perAddress(issueId: string): Promise<Record<string, number>> {
  return perAddressOf(local, issueId);
}

/** Each reader's ledger record's status, by address. */
async function ledgerByAddress(issueId: string): Promise<Record<string, string>> {
  const byId = new Map(Array.from(readerIds, ([email, id]) => [id, email]));
  return Object.fromEntries(
    (await deps.ledger.list(issueId)).map((record) => [
      byId.get(record.subscriberId) ?? `unknown subscriber ${record.subscriberId}`,
      record.status,
    ]),
  );
}

/** What the ledger should say once the canary went to `mailed` and nobody else. */
function canaryLedger(mailed: Record<string, number>): Record<string, string> {
  return Object.fromEntries(
    READERS.map((address) => [address, address in mailed ? 'sent' : 'held']),
  );
}

/** What anyone following the issue does: counts its ledger, and marks it sent once done. */
async function finish(issueId: string) {
  const issue = await deps.issues.get(issueId);
  if (!issue) throw new Error(`no issue ${issueId}`);
  return finishIssue(deps, issue, deps.now(), { exact: true });
}

const everyReaderOnce = Object.fromEntries(READERS.map((address) => [address, 1]));

describe('the canary on the embedded services, with a clock that moves', () => {
  it('an issue the schedule starts goes to 5 of 20 readers and holds the other 15 until the canary’s wait is over; a tick before then sends nobody more, the first tick after it ends the canary and every reader ends mailed once, the issue sent', async () => {
    const started = await runSchedule(deps, { requireApproval: false });
    expect(started).toMatchObject({ kind: 'started', source: 'planned', enqueued: CANARY });
    const issueId = (started as { issueId: string }).issueId;
    await untilSendersIdle(issueId);

    const canaryMailed = await perAddress(issueId);
    expect(Object.values(canaryMailed)).toEqual(Array(CANARY).fill(1));
    expect(await ledgerByAddress(issueId)).toEqual(canaryLedger(canaryMailed));
    expect(await deps.ledger.counts(issueId)).toMatchObject({
      held: READERS.length - CANARY,
      sent: CANARY,
      queued: 0,
      claimed: 0,
    });
    const sending = await deps.issues.get(issueId);
    expect(sending).toMatchObject({ state: 'sending', startedAt: iso(T0) });
    expect(sending?.canary).toEqual({
      percent: 10,
      recipients: CANARY,
      until: iso(T0 + 30 * MINUTE),
    });
    expect(sending?.timeline.filter((entry) => entry.actor === 'canary')).toEqual([
      {
        at: iso(T0),
        actor: 'canary',
        action: 'canary',
        detail: expect.stringMatching(/^canary: 5 of 20 recipients; the rest from /),
      },
    ]);

    // A minute before the wait is over: the tick ends nothing, and nothing goes on the queue.
    clock.now = T0 + 29 * MINUTE;
    const early = await runTick(deps);
    const idleAfterEarly = await deps.queue.isIdle();
    const unfinished = await finish(issueId);

    expect(early).toEqual({ kind: 'nothing', reason: 'nothing-due' });
    expect(idleAfterEarly).toBe(true);
    expect(unfinished).toMatchObject({
      done: false,
      status: { recipients: READERS.length, sent: CANARY, queued: READERS.length - CANARY },
    });
    expect(await deps.issues.get(issueId)).toMatchObject({
      state: 'sending',
      canary: sending?.canary,
    });
    expect(await ledgerByAddress(issueId)).toEqual(canaryLedger(canaryMailed));
    expect(await perAddress(issueId)).toEqual(canaryMailed);

    // A minute after it: the tick ends the canary and sends the other 15.
    clock.now = T0 + 31 * MINUTE;
    const over = await runTick(deps);
    await untilSent(deps, issueId, READERS.length);
    const finished = await finish(issueId);

    expect(over).toEqual({ kind: 'canary-over', issueId, enqueued: READERS.length - CANARY });
    expect(finished).toMatchObject({
      done: true,
      status: {
        recipients: READERS.length,
        sent: READERS.length,
        queued: 0,
        failed: 0,
        unknown: 0,
      },
    });
    const sent = await deps.issues.get(issueId);
    expect(sent?.state).toBe('sent');
    expect(sent?.canary).toEqual({
      percent: 10,
      recipients: CANARY,
      until: iso(T0 + 30 * MINUTE),
      endedAt: iso(T0 + 31 * MINUTE),
    });
    expect(sent?.timeline.filter((entry) => entry.actor === 'canary').slice(1)).toEqual([
      {
        at: iso(T0 + 31 * MINUTE),
        actor: 'canary',
        action: 'canary',
        detail: 'canary over: 5 sent; sending the other 15',
      },
    ]);
    expect(await perAddress(issueId)).toEqual(everyReaderOnce);
  }, 90_000);

  it('an issue paused during its canary is not continued by the first tick after the wait (nobody more mailed, still paused); its resume ends the canary and mails every reader not mailed yet, each reader once in all', async () => {
    const drafted = await draftIssue(deps, { articleIds: [MUSEUM] }, EDITOR);
    if (!drafted) throw new Error('nothing drafted');
    const issueId = drafted.issue.issueId;
    const started = await startIssue(deps, issueId, EDITOR);
    await untilSendersIdle(issueId);
    const canaryMailed = await perAddress(issueId);

    expect(started.enqueued).toBe(CANARY);
    expect(Object.values(canaryMailed)).toEqual(Array(CANARY).fill(1));
    expect(await ledgerByAddress(issueId)).toEqual(canaryLedger(canaryMailed));

    // Paused once the senders are idle: no lease of theirs is left to wait for (the pause's
    // wait compares the senders' leases, on the system's time, with the moved clock).
    clock.now = T0 + 10 * MINUTE;
    const paused = await pauseIssue(deps, issueId, EDITOR);
    clock.now = T0 + 31 * MINUTE;
    const tick = await runTick(deps);
    const idleAfterTick = await deps.queue.isIdle();

    expect(paused.issue.state).toBe('paused');
    expect(tick).toEqual({ kind: 'nothing', reason: 'nothing-due' });
    expect(idleAfterTick).toBe(true);
    const stillPaused = await deps.issues.get(issueId);
    expect(stillPaused?.state).toBe('paused');
    expect(stillPaused?.canary).toEqual({
      percent: 10,
      recipients: CANARY,
      until: iso(T0 + 30 * MINUTE),
    });
    expect(await ledgerByAddress(issueId)).toEqual(canaryLedger(canaryMailed));
    expect(await perAddress(issueId)).toEqual(canaryMailed);

    clock.now = T0 + 40 * MINUTE;
    const resumed = await resumeIssue(deps, issueId, EDITOR);
    await untilSent(deps, issueId, READERS.length);
    const finished = await finish(issueId);

    expect(resumed.enqueued).toBe(READERS.length - CANARY);
    expect(resumed.issue.canary?.endedAt).toBe(iso(T0 + 40 * MINUTE));
    expect(resumed.issue.timeline.at(-1)).toMatchObject({
      at: iso(T0 + 40 * MINUTE),
      actor: EDITOR,
      action: 'resume',
      detail: 'the canary ends: the held recipients go now',
    });
    expect(finished).toMatchObject({
      done: true,
      status: { recipients: READERS.length, sent: READERS.length, failed: 0, unknown: 0 },
    });
    expect((await deps.issues.get(issueId))?.state).toBe('sent');
    expect(await perAddress(issueId)).toEqual(everyReaderOnce);
  }, 90_000);
});
