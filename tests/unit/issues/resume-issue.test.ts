import { describe, expect, it } from 'vitest';
import { draftIssue } from '#core/issues/draft-issue.ts';
import { IssueStateError } from '#core/issues/issue-state-error.ts';
import { pauseIssue } from '#core/issues/pause-issue.ts';
import { resumeIssue } from '#core/issues/resume-issue.ts';
import { startIssue } from '#core/issues/start-issue.ts';
import type { SendStatus } from '#core/sending/ports.ts';
import {
  ledgerRecord,
  memoryIssueDeps,
  storedIssue,
  templateRender,
} from '../fakes/memory-issue-deps.ts';
import { MemorySubscriberStore } from '../fakes/memory-stores.ts';
import { article } from '../support/articles.ts';
import { subscriber } from '../support/subscribers.ts';

const ISSUE = '01JISSUE000000000000000001';
const EDITOR = 'cli:editor';
const STARTED = '2026-11-27T08:00:00.000Z';
const RESUMED = '2026-11-27T09:00:00.000Z';

/** Issue dependencies on the fakes, at `RESUMED`, with `readers` active subscribers. */
function setup(readers = 0) {
  const subscribers = new MemorySubscriberStore();
  // Pushed directly: `add` looks for the address among all the others first.
  for (let n = 1; n <= readers; n++) subscribers.items.push(subscriber(n));
  const clock = { now: RESUMED };
  let counter = 0;
  const deps = memoryIssueDeps(subscribers, {
    renderIssue: templateRender,
    newId: () => `01JDRAFT${String(++counter).padStart(18, '0')}`,
    now: () => new Date(clock.now),
    archive: async () => {},
  });
  return { deps, clock, subscribers };
}

describe('resumeIssue', () => {
  it('moves a paused issue back to sending, with the editor and the time in its timeline', async () => {
    const { deps } = setup();
    await deps.issues.create(
      storedIssue(ISSUE, { state: 'paused', rate: 20, preparedAt: STARTED }),
    );

    const { issue } = await resumeIssue(deps, ISSUE, EDITOR);

    const stored = await deps.issues.get(ISSUE);
    expect(stored?.state).toBe('sending');
    expect(stored?.rate).toBe(20);
    expect(stored?.timeline).toEqual([{ at: RESUMED, actor: EDITOR, action: 'resume' }]);
    expect(issue).toEqual(stored);
  });

  it('resumes at the rate the editor gives, storing it and saying so in the timeline', async () => {
    const { deps } = setup();
    await deps.issues.create(
      storedIssue(ISSUE, { state: 'paused', rate: 20, preparedAt: STARTED }),
    );

    const { issue } = await resumeIssue(deps, ISSUE, EDITOR, { rate: 5 });

    const stored = await deps.issues.get(ISSUE);
    expect(stored?.rate).toBe(5);
    expect(stored?.timeline).toEqual([
      { at: RESUMED, actor: EDITOR, action: 'resume', detail: 'at 5 messages/s' },
    ]);
    expect(issue).toEqual(stored);
  });

  it('enqueues every recipient whose record is queued, claimed or unknown, and nobody else', async () => {
    const { deps } = setup();
    await deps.issues.create(storedIssue(ISSUE, { state: 'paused', preparedAt: STARTED }));
    const statuses: SendStatus[] = [
      'queued',
      'sent',
      'claimed',
      'failed',
      'unknown',
      'suppressed',
      'cancelled',
      'queued',
    ];
    for (const [index, status] of statuses.entries()) {
      await ledgerRecord(deps.ledger, ISSUE, subscriber(index + 1).id, status, STARTED);
    }

    const { enqueued } = await resumeIssue(deps, ISSUE, EDITOR);

    const unfinished = [1, 3, 5, 8].map((n) => subscriber(n).id);
    expect(enqueued).toBe(4);
    expect([...deps.queue.subscriberIds].sort()).toEqual(unfinished);
    expect(deps.queue.messages.every(({ page }) => page.issueId === ISSUE)).toBe(true);
  });

  it('carries on a preparation the pause cut short: the rest of the list gets records and is enqueued', async () => {
    // More readers than one read of the list takes (1,000): the pause lands after the first.
    const { deps, clock } = setup(1_200);
    clock.now = STARTED;
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    const drafted = await draftIssue(deps, {}, EDITOR);
    const issueId = drafted?.issue.issueId ?? '';
    const enqueue = deps.queue.enqueue.bind(deps.queue);
    let pausedDuringStart = false;
    deps.queue.enqueue = async (messages, delaySeconds) => {
      await enqueue(messages, delaySeconds);
      if (pausedDuringStart) return;
      pausedDuringStart = true;
      await pauseIssue(deps, issueId, EDITOR);
    };
    const started = await startIssue(deps, issueId, EDITOR);
    const cutShort = await deps.issues.get(issueId);
    const enqueuedBefore = deps.queue.subscriberIds.length;
    clock.now = RESUMED;

    const { issue, enqueued } = await resumeIssue(deps, issueId, EDITOR);

    expect(started.enqueued).toBe(1_000);
    expect(cutShort).toMatchObject({ state: 'paused', prepareCursor: '1000' });
    expect(cutShort?.preparedAt).toBeUndefined();
    expect(enqueued).toBe(1_200);
    const resumedIds = deps.queue.subscriberIds.slice(enqueuedBefore);
    expect(resumedIds).toHaveLength(1_200);
    expect(new Set(resumedIds).size).toBe(1_200);
    const records = await deps.ledger.list(issueId);
    expect(records).toHaveLength(1_200);
    expect(records.every((record) => record.status === 'queued')).toBe(true);
    expect(issue.preparedAt).toBe(RESUMED);
    expect(await deps.issues.get(issueId)).toMatchObject({ state: 'sending', preparedAt: RESUMED });
  });

  it('keeps the counts at the resume, so that the rates are measured afresh from there', async () => {
    const { deps } = setup();
    await deps.issues.create(storedIssue(ISSUE, { state: 'paused', preparedAt: STARTED }));
    for (const n of [1, 2, 3]) {
      await ledgerRecord(deps.ledger, ISSUE, subscriber(n).id, 'sent', STARTED);
    }
    await deps.ledger.recordEvent(ISSUE, subscriber(1).id, { type: 'bouncedPermanent' }, STARTED);
    await deps.ledger.recordEvent(ISSUE, subscriber(2).id, { type: 'complained' }, STARTED);

    const { issue } = await resumeIssue(deps, ISSUE, EDITOR);

    expect(issue.rateBaseline).toEqual({ sent: 3, bouncedPermanent: 1, complained: 1 });
    expect((await deps.issues.get(ISSUE))?.rateBaseline).toEqual(issue.rateBaseline);
  });

  it.each(['sending', 'draft', 'sent', 'cancelled'] as const)(
    'refuses to resume a %s issue, naming its state, changing nothing and enqueuing nobody',
    async (state) => {
      const { deps } = setup();
      await deps.issues.create(storedIssue(ISSUE, { state, preparedAt: STARTED }));
      await ledgerRecord(deps.ledger, ISSUE, subscriber(1).id, 'queued', STARTED);
      const before = await deps.issues.get(ISSUE);

      const refusal = resumeIssue(deps, ISSUE, EDITOR, { rate: 5 });

      await expect(refusal).rejects.toThrow(IssueStateError);
      await expect(refusal).rejects.toThrow(`Issue ${ISSUE} is ${state}`);
      expect(await deps.issues.get(ISSUE)).toEqual(before);
      expect(deps.queue.messages).toEqual([]);
    },
  );
});
