import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tables } from '#adapters/tables.ts';
import type { LocalRuntime } from '#cli/local/local-runtime.ts';
import type { Article } from '#core/articles/article.ts';
import type { Config } from '#core/common/config.ts';
import { approveIssue } from '#core/issues/approve-issue.ts';
import { draftIssue } from '#core/issues/draft-issue.ts';
import type { IssueDeps } from '#core/issues/issue-deps.ts';
import { finishIssue } from '#core/issues/issue-status.ts';
import { renderDraft } from '#core/issues/render-draft.ts';
import { runSchedule, runTick } from '#core/issues/run-schedule.ts';
import { scheduleIssue } from '#core/issues/schedule-issue.ts';
import { previewIssue } from '#core/issues/send-issue.ts';
import { startIssue } from '#core/issues/start-issue.ts';
import {
  outbox as outboxOf,
  type ProvisionedAws,
  perAddress as perAddressOf,
  startClockedIssues,
  startSenders as startRuntime,
  stopSenders,
  untilSent,
  wipe,
} from './support/clocked-issues.ts';

// The schedule on the embedded services, with a clock the tests move: the issue code runs
// in-process on the real adapters (`issueDepsFromEnv`), with `now()` read from `clock`;
// the senders are the real send-batch handler, run against the local send queue by the
// local runtime (as `newsletter` runs it), so every message really reaches the local SES's
// outbox. The senders themselves keep the system's time: only the issue code is moved
// (see `support/clocked-issues.ts`).

const EDITOR = 'cli:editor';
const READERS = ['ana@example.com', 'ben@example.com', 'cleo@example.com', 'dev@example.com'];
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Where every test's clock starts. */
const T0 = Date.parse('2026-11-27T08:00:00.000Z');

const IDS = {
  museum: 'inside-the-midnight-museum-tour-that-sold-out-in-four-minutes',
  vegetables: 'chef-tomas-okafor-s-ugly-vegetable-menu-wins-over-the-critics',
  lighthouse: 'pop-star-mara-vell-swaps-sold-out-arenas-for-a-tiny-lighthouse-cafe',
  mornings: 'the-five-minute-morning-routine-everyone-in-lisbon-is-talking-about',
} as const;
type Sample = keyof typeof IDS;

let local: ProvisionedAws;
let config: Config;
let deps: IssueDeps;
/** The sample articles as the import stored them (photos in the local S3). */
let samples: Map<string, Article>;
const clock = { now: T0 };
let runtime: LocalRuntime | undefined;

beforeAll(async () => {
  ({ local, config, deps, samples } = await startClockedIssues({ clock, readers: READERS }));
}, 120_000);

beforeEach(async () => {
  // Each test starts with no article and no issue (the readers stay).
  await wipe(local, tables.issues);
  await wipe(local, tables.articles);
  clock.now = T0;
});

afterEach(async () => {
  await stopSenders(runtime);
  runtime = undefined;
});

afterAll(async () => {
  await local?.stop();
});

/** Stores these samples, each published `days` (fractions allowed) after T0 (negative: before). */
async function storeArticles(published: Partial<Record<Sample, number>>): Promise<void> {
  await deps.articles.putAll(
    Object.entries(published).map(([name, days]) => ({
      ...(samples.get(IDS[name as Sample]) as Article),
      publishedAt: new Date(T0 + (days as number) * DAY).toISOString(),
    })),
  );
}

/** The local runtime: the senders (send-batch handler) and the SES events handler. */
async function startSenders(): Promise<void> {
  runtime = await startRuntime(local, config);
}

function at(ms: number): Date {
  return new Date(ms);
}

/** An editor's draft of these samples, now; its id. */
async function draft(...names: Sample[]): Promise<string> {
  const drafted = await draftIssue(deps, { articleIds: names.map((n) => IDS[n]) }, EDITOR);
  if (!drafted) throw new Error('nothing drafted');
  return drafted.issue.issueId;
}

/** Waits until the issue's ledger says every reader was sent the issue. */
function untilMailed(issueId: string): Promise<void> {
  return untilSent(deps, issueId, READERS.length);
}

/** What anyone following the issue does: counts its ledger, and marks it sent once done. */
async function finish(issueId: string) {
  const issue = await deps.issues.get(issueId);
  if (!issue) throw new Error(`no issue ${issueId}`);
  return finishIssue(deps, issue, deps.now(), { exact: true });
}

/** The local SES's outbox: each message accepted for the issue, with its record and subject. */
function outbox(issueId: string) {
  return outboxOf(local, issueId);
}

/** Messages of the issue per address in the outbox. */
function perAddress(issueId: string): Promise<Record<string, number>> {
  return perAddressOf(local, issueId);
}

const everyReaderOnce = Object.fromEntries(READERS.map((address) => [address, 1]));

/** Each issue's state, by id. */
async function states(): Promise<Record<string, string>> {
  return Object.fromEntries((await deps.issues.list()).map((i) => [i.issueId, i.state]));
}

describe('the schedule on the embedded services, with a clock that moves', () => {
  it('a scheduled issue does not go out at ticks before its time, goes out at the first tick after it, and ends sent, every reader mailed once', async () => {
    await storeArticles({ museum: -1, vegetables: -2 });
    const issueId = await draft('museum', 'vegetables');
    await scheduleIssue(deps, issueId, at(T0 + 60 * MINUTE), EDITOR);
    await startSenders();

    const atT = await runTick(deps);
    clock.now = T0 + 59 * MINUTE;
    const justBefore = await runTick(deps);

    expect(atT).toEqual({ kind: 'nothing', reason: 'nothing-due' });
    expect(justBefore).toEqual({ kind: 'nothing', reason: 'nothing-due' });
    expect(await states()).toEqual({ [issueId]: 'scheduled' });
    expect((await deps.ledger.counts(issueId)).queued).toBe(0);
    expect(await outbox(issueId)).toEqual([]);

    clock.now = T0 + 61 * MINUTE;
    const due = await runTick(deps);
    await untilMailed(issueId);
    const finished = await finish(issueId);

    expect(due).toEqual({
      kind: 'started',
      issueId,
      source: 'scheduled',
      enqueued: READERS.length,
    });
    expect(finished).toMatchObject({
      done: true,
      status: { recipients: READERS.length, sent: READERS.length, failed: 0, unknown: 0 },
    });
    const sent = await deps.issues.get(issueId);
    expect(sent).toMatchObject({
      state: 'sent',
      scheduledAt: new Date(T0 + 60 * MINUTE).toISOString(),
      startedAt: new Date(T0 + 61 * MINUTE).toISOString(),
    });
    expect(sent?.timeline.find((entry) => entry.action === 'send')).toMatchObject({
      actor: 'schedule',
      at: new Date(T0 + 61 * MINUTE).toISOString(),
    });
    expect(await perAddress(issueId)).toEqual(everyReaderOnce);
  }, 90_000);

  it('while an issue is sending, the schedule starts nothing else (busy); a scheduled issue that fell due meanwhile starts at the first tick after that issue is sent', async () => {
    await storeArticles({ museum: -1, vegetables: -2, lighthouse: -3, mornings: -4 });
    const first = await draft('museum');
    const scheduled = await draft('vegetables');
    await scheduleIssue(deps, scheduled, at(T0 + 30 * MINUTE), EDITOR);
    // No sender runs yet: the first issue's pages wait on the send queue, so it is sending
    // for as long as the test needs.
    const started = await startIssue(deps, first, EDITOR);
    clock.now = T0 + 31 * MINUTE;

    const fired = await runSchedule(deps, { requireApproval: false });
    const ticked = await runTick(deps);

    const busy = { kind: 'busy', issueId: first, state: 'sending', enqueued: 0 };
    expect(started.enqueued).toBe(READERS.length);
    expect(fired).toEqual(busy);
    expect(ticked).toEqual(busy);
    // Nothing planned from the two articles no issue carries, the scheduled one still waits.
    expect(await states()).toEqual({ [first]: 'sending', [scheduled]: 'scheduled' });
    expect(await outbox(scheduled)).toEqual([]);

    await startSenders();
    await untilMailed(first);
    clock.now = T0 + 32 * MINUTE;
    const next = await runTick(deps);

    expect(next).toEqual({
      kind: 'started',
      issueId: scheduled,
      source: 'scheduled',
      enqueued: READERS.length,
    });
    // The tick found the first issue done, marked it sent, and only then started the next.
    expect(await states()).toEqual({ [first]: 'sent', [scheduled]: 'sending' });
    await untilMailed(scheduled);
    expect(await perAddress(first)).toEqual(everyReaderOnce);
    expect(await perAddress(scheduled)).toEqual(everyReaderOnce);
    expect((await deps.issues.get(scheduled))?.startedAt).toBe(
      new Date(T0 + 32 * MINUTE).toISOString(),
    );
  }, 90_000);

  it('with requireApproval, sends nothing and stores no issue until a draft is approved, then sends exactly the approved version', async () => {
    await storeArticles({ museum: -1, vegetables: -2, lighthouse: -3 });
    const chosen = await draft('museum', 'vegetables');
    const other = await draft('lighthouse');
    await startSenders();

    const unapproved = await runSchedule(deps, { requireApproval: true });

    expect(unapproved).toEqual({ kind: 'nothing', reason: 'awaiting-approval' });
    expect(await states()).toEqual({ [chosen]: 'draft', [other]: 'draft' });
    expect(await outbox(chosen)).toEqual([]);
    expect(await outbox(other)).toEqual([]);

    // Rendered again as version 2 with its own subject, and that version approved.
    clock.now = T0 + 5 * MINUTE;
    const v2 = await renderDraft(
      deps,
      chosen,
      { subject: 'Approved: museums at midnight' },
      EDITOR,
    );
    await approveIssue(deps, chosen, EDITOR);
    clock.now = T0 + 10 * MINUTE;

    const approved = await runSchedule(deps, { requireApproval: true });
    await untilMailed(chosen);

    expect(v2.issue.version).toBe(2);
    expect(approved).toEqual({
      kind: 'started',
      issueId: chosen,
      source: 'approved',
      enqueued: READERS.length,
    });
    expect(await deps.issues.get(chosen)).toMatchObject({
      state: 'sending',
      version: 2,
      sha256: v2.issue.sha256,
      subject: 'Approved: museums at midnight',
    });
    const messages = await outbox(chosen);
    expect(messages.map((m) => m.subject)).toEqual(
      READERS.map(() => 'Approved: museums at midnight'),
    );
    expect(await perAddress(chosen)).toEqual(everyReaderOnce);
    expect(await deps.issues.get(other)).toMatchObject({ state: 'draft', version: 1 });
    expect(await outbox(other)).toEqual([]);
  }, 90_000);

  it('a draft made “as of” a later time carries the articles, in the order, of the issue the schedule plans and sends at that time', async () => {
    // An issue of the museum began at T0; the lighthouse article, published five days
    // before, was left out of it, so it stays a candidate only while it is at most
    // maxArticleWaitDays (14) old: it is 7 days old two days after T0, 15 days old ten
    // days after. The other two were published after that issue began: candidates anyway.
    expect(config.maxArticleWaitDays).toBe(14);
    await storeArticles({ museum: -1, lighthouse: -5, vegetables: 1, mornings: 1.5 });
    const earlier = await draft('museum');
    await startSenders();
    await startIssue(deps, earlier, EDITOR);
    await untilMailed(earlier);
    expect((await finish(earlier)).done).toBe(true);
    const later = at(T0 + 10 * DAY);
    clock.now = T0 + 2 * DAY;

    const today = await previewIssue(deps);
    const travelled = await draftIssue(deps, {}, EDITOR, { asOf: later });
    clock.now = later.getTime();
    const outcome = await runSchedule(deps, { requireApproval: false });

    expect(today?.articles.map((a) => a.id)).toEqual([
      IDS.mornings,
      IDS.vegetables,
      IDS.lighthouse,
    ]);
    expect(travelled?.issue.articleIds).toEqual([IDS.mornings, IDS.vegetables]);
    expect(outcome).toMatchObject({ kind: 'started', source: 'planned' });
    const plannedId = (outcome as { issueId: string }).issueId;
    expect(plannedId).not.toBe(travelled?.issue.issueId);
    const planned = await deps.issues.get(plannedId);
    expect(planned).toMatchObject({
      state: 'sending',
      articleIds: travelled?.issue.articleIds,
      subject: travelled?.issue.subject,
      createdAt: later.toISOString(),
    });
    expect(travelled?.issue.createdAt).toBe(later.toISOString());
    await untilMailed(plannedId);
    expect(await perAddress(plannedId)).toEqual(everyReaderOnce);
  }, 90_000);
});
