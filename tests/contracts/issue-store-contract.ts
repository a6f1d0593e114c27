import { describe, expect, it } from 'vitest';
import { IssueNotFoundError } from '#core/issues/issue-not-found-error.ts';
import type { Issue, IssueStore, TimelineEntry } from '#core/issues/ports.ts';

/** What a promise rejected with, or undefined when it resolved. */
const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

const AT = '2026-11-27T08:00:00.000Z';
const LATER = '2026-11-27T08:00:05.000Z';

/** An issue that began sending at `AT`, as `startIssue` leaves it, with `changes` over it. */
function issue(issueId: string, changes: Partial<Issue> = {}): Issue {
  return {
    issueId,
    createdAt: AT,
    subject: `Issue ${issueId}`,
    articleIds: ['ferry-choir', 'night-market'],
    state: 'sending',
    version: 1,
    sha256: 'a1'.repeat(32),
    renderedAt: AT,
    startedAt: AT,
    timeline: [
      { at: AT, actor: 'cli:editor', action: 'draft', detail: 'version 1, 2 articles' },
      { at: AT, actor: 'cli:editor', action: 'send' },
    ],
    ...changes,
  };
}

/** A draft of version 1 that nobody sent yet. */
function draft(issueId: string, changes: Partial<Issue> = {}): Issue {
  const { startedAt: _notStarted, ...started } = issue(issueId, { state: 'draft', ...changes });
  return { ...started, timeline: started.timeline.slice(0, 1) };
}

const entry = (action: string, at = LATER, detail?: string): TimelineEntry => ({
  at,
  actor: 'cli:editor',
  action,
  ...(detail === undefined ? {} : { detail }),
});

/** What every `IssueStore` promises; `makeSubject` gives an empty store each time. */
export function describeIssueStoreContract(
  name: string,
  makeSubject: () => IssueStore | Promise<IssueStore>,
) {
  describe(`${name} keeps the IssueStore contract`, () => {
    it('gives back an issue as it was created, with its optional fields', async () => {
      const store = await makeSubject();
      const created = issue('01JISSUE000000000000000001', {
        preheader: 'Singing on the morning ferry',
        intro: 'A short week.\n\nThank you for reading.',
        rate: 2.5,
        prepareCursor: 'c1',
        images: { count: 3, measured: 2, bytes: 181_234, unmeasured: 1, missing: 0 },
      });
      const cancelled = issue('01JISSUE00000000000000001B', {
        state: 'cancelled',
        mailedNobody: true,
      });

      await store.create(created);
      await store.create(cancelled);

      expect(await store.get(created.issueId)).toEqual(created);
      expect(await store.get(cancelled.issueId)).toEqual(cancelled);
      expect(await store.get('01JMISSING0000000000000000')).toBeUndefined();
    });

    it('refuses to create an issue whose id exists, keeping the stored one', async () => {
      const store = await makeSubject();
      const first = issue('01JISSUE000000000000000002');
      await store.create(first);

      const refused = await rejection(store.create({ ...first, subject: 'Impostor' }));

      expect(refused).toBeInstanceOf(Error);
      expect(await store.get(first.issueId)).toEqual(first);
    });

    it('lists every issue, newest id first', async () => {
      const store = await makeSubject();
      for (const id of ['01JB0000000000000000000000', '01JC0000000000000000000000']) {
        await store.create(issue(id));
      }
      await store.create(issue('01JA0000000000000000000000'));

      const listed = await store.list();

      expect(listed.map((i) => i.issueId)).toEqual([
        '01JC0000000000000000000000',
        '01JB0000000000000000000000',
        '01JA0000000000000000000000',
      ]);
    });

    it('moves an issue from state to state, writing the changes and appending each entry in order', async () => {
      const store = await makeSubject();
      const created = draft('01JISSUE000000000000000003');
      await store.create(created);
      const images = { count: 1, measured: 1, bytes: 2_048, unmeasured: 0, missing: 0 };

      const started = await store.move(created.issueId, {
        from: ['draft'],
        to: 'sending',
        changes: { startedAt: LATER, rate: 2.5, images },
        entry: entry('send', LATER, 'version 1 at 2.5 messages/s'),
      });
      const paused = await store.move(created.issueId, {
        from: ['sending'],
        to: 'paused',
        entry: entry('pause', '2026-11-27T08:01:00.000Z'),
      });
      const resumed = await store.move(created.issueId, {
        from: ['paused'],
        to: 'sending',
        entry: entry('resume', '2026-11-27T08:02:00.000Z'),
      });

      const expected: Issue = {
        ...created,
        state: 'sending',
        startedAt: LATER,
        rate: 2.5,
        images,
        timeline: [
          ...created.timeline,
          entry('send', LATER, 'version 1 at 2.5 messages/s'),
          entry('pause', '2026-11-27T08:01:00.000Z'),
          entry('resume', '2026-11-27T08:02:00.000Z'),
        ],
      };
      expect(started?.state).toBe('sending');
      expect(paused?.state).toBe('paused');
      expect(resumed).toEqual(expected);
      expect(await store.get(created.issueId)).toEqual(expected);
      expect(await store.list()).toEqual([expected]);
    });

    it('moves an issue sent with why its unknown outcomes were left, and gives that back', async () => {
      const store = await makeSubject();
      const created = issue('01JISSUE000000000000000009', { preparedAt: AT });
      await store.create(created);
      const heldBy = { reason: 'events-dead-letter-queue', unknown: 2, at: LATER } as const;
      const sent = { at: LATER, actor: 'ledger', action: 'sent', detail: '2 messages held' };

      const moved = await store.move(created.issueId, {
        from: ['sending', 'paused'],
        to: 'sent',
        changes: { heldBy },
        entry: sent,
      });

      const expected = { ...created, state: 'sent', heldBy, timeline: [...created.timeline, sent] };
      expect(moved).toEqual(expected);
      expect(await store.get(created.issueId)).toEqual(expected);
      expect((await store.list())[0]).toEqual(expected);
    });

    it('picks a canary once, ends it once, and gives back its fields as written', async () => {
      const store = await makeSubject();
      const created = issue('01JISSUE00000000000000000D', { canary: { percent: 5 } });
      await store.create(created);
      const picked = { percent: 5, recipients: 120, until: '2026-11-27T08:30:05.000Z' };
      const ended = { ...picked, endedAt: '2026-11-27T08:30:10.000Z' };
      const pick = entry('canary', LATER, '120 of 4,000');
      const end = entry('canary', ended.endedAt, 'over');
      const move = (canary: 'unpicked' | 'holds', changes: Partial<Issue>, e: TimelineEntry) =>
        store.move(created.issueId, {
          from: ['sending'],
          to: 'sending',
          canary,
          changes,
          entry: e,
        });

      const first = await move('unpicked', { canary: picked }, pick);
      const again = await move('unpicked', { canary: { percent: 5, recipients: 7 } }, pick);
      const ending = await move('holds', { canary: ended }, end);
      const endingAgain = await move('holds', { canary: { ...ended, endedAt: LATER } }, end);

      const expected: Issue = {
        ...created,
        canary: ended,
        timeline: [...created.timeline, pick, end],
      };
      expect(first?.canary).toEqual(picked);
      expect([again, endingAgain]).toEqual([undefined, undefined]);
      expect(ending).toEqual(expected);
      expect(await store.get(created.issueId)).toEqual(expected);
      expect(await store.list()).toEqual([expected]);
    });

    it('refuses a move that expects a canary from an issue without one, writing nothing', async () => {
      const store = await makeSubject();
      const created = issue('01JISSUE00000000000000000E');
      await store.create(created);

      const outcomes = await Promise.all(
        (['unpicked', 'holds'] as const).map((canary) =>
          store.move(created.issueId, {
            from: ['sending'],
            to: 'sending',
            canary,
            changes: { canary: { percent: 5, endedAt: LATER } },
            entry: entry('canary'),
          }),
        ),
      );

      expect(outcomes).toEqual([undefined, undefined]);
      expect(await store.get(created.issueId)).toEqual(created);
    });

    it('lets exactly one of two processes ending a canary at once win', async () => {
      const store = await makeSubject();
      const picked = { percent: 5, recipients: 120, until: AT };
      const created = issue('01JISSUE00000000000000000F', { canary: picked });
      await store.create(created);
      const ends = ['2026-11-27T08:00:06.000Z', '2026-11-27T08:00:07.000Z'].map((endedAt) => ({
        changes: { canary: { ...picked, endedAt } },
        entry: entry('canary', endedAt, 'over'),
      }));

      const outcomes = await Promise.all(
        ends.map((end) =>
          store.move(created.issueId, {
            from: ['sending'],
            to: 'sending',
            canary: 'holds',
            ...end,
          }),
        ),
      );

      const won = outcomes.filter((moved) => moved !== undefined);
      expect(won).toHaveLength(1);
      const winner = ends[outcomes.indexOf(won[0])];
      expect(await store.get(created.issueId)).toEqual({
        ...created,
        ...winner?.changes,
        timeline: [...created.timeline, winner?.entry],
      });
    });

    it('refuses a move from a state the issue is not in, writing nothing', async () => {
      const store = await makeSubject();
      const sent = issue('01JISSUE00000000000000000A', { state: 'sent' });
      await store.create(sent);

      const moved = await store.move(sent.issueId, {
        from: ['draft', 'sending', 'paused'],
        to: 'cancelled',
        changes: { mailedNobody: true },
        entry: entry('cancel'),
      });

      expect(moved).toBeUndefined();
      expect(await store.get(sent.issueId)).toEqual(sent);
    });

    it('moves a draft only at the version expected, writing nothing at another', async () => {
      const store = await makeSubject();
      const created = draft('01JISSUE00000000000000000B', { version: 2 });
      await store.create(created);
      const render = (version: number, sha256: string) =>
        store.move(created.issueId, {
          from: ['draft'],
          to: 'draft',
          version,
          changes: { version: version + 1, sha256, renderedAt: LATER, subject: 'Rendered again' },
          entry: entry('render', LATER, `version ${version + 1}`),
        });

      const stale = await render(1, 'b2'.repeat(32));
      const unchanged = await store.get(created.issueId);
      const current = await render(2, 'c3'.repeat(32));

      expect(stale).toBeUndefined();
      expect(unchanged).toEqual(created);
      const expected: Issue = {
        ...created,
        version: 3,
        sha256: 'c3'.repeat(32),
        renderedAt: LATER,
        subject: 'Rendered again',
        timeline: [...created.timeline, entry('render', LATER, 'version 3')],
      };
      expect(current).toEqual(expected);
      expect(await store.get(created.issueId)).toEqual(expected);
    });

    it('lets exactly one of two moves from the same state at once win, and keeps only its entry', async () => {
      const store = await makeSubject();
      const created = draft('01JISSUE00000000000000000C');
      await store.create(created);
      const moves = [
        { to: 'sending', changes: { startedAt: LATER }, entry: entry('send') },
        { to: 'cancelled', changes: { mailedNobody: true }, entry: entry('cancel') },
      ] as const;

      const outcomes = await Promise.all(
        moves.map((move) => store.move(created.issueId, { from: ['draft'], ...move })),
      );

      const won = outcomes.filter((moved) => moved !== undefined);
      expect(won).toHaveLength(1);
      const winner = moves[outcomes.indexOf(won[0])];
      const stored = await store.get(created.issueId);
      expect(stored).toEqual(won[0]);
      expect(stored).toEqual({
        ...created,
        ...winner?.changes,
        state: winner?.to,
        timeline: [...created.timeline, winner?.entry],
      });
    });

    it('refuses to move an issue that does not exist, creating nothing', async () => {
      const store = await makeSubject();
      const missing = '01JMISSING0000000000000000';

      const refused = await rejection(
        store.move(missing, { from: ['draft'], to: 'sending', entry: entry('send') }),
      );

      expect(refused).toBeInstanceOf(IssueNotFoundError);
      expect(await store.get(missing)).toBeUndefined();
      expect(await store.list()).toEqual([]);
    });

    it('changes the fields given, leaves those given as undefined and removes a null cursor', async () => {
      const store = await makeSubject();
      const created = issue('01JISSUE000000000000000004', { rate: 14, prepareCursor: 'c1' });
      await store.create(created);

      const changed = await store.update(created.issueId, {
        rate: 2.5,
        preparedAt: LATER,
        prepareCursor: null,
      });
      const untouched = await store.update(created.issueId, { rate: undefined, preparedAt: AT });

      expect([changed, untouched]).toEqual([true, true]);
      const { prepareCursor: _removed, ...rest } = created;
      expect(await store.get(created.issueId)).toEqual({ ...rest, rate: 2.5, preparedAt: AT });
    });

    it('moves the cursor only from where it was expected, writing nothing otherwise', async () => {
      const store = await makeSubject();
      const issueId = '01JISSUE000000000000000005';
      await store.create(issue(issueId));

      const first = await store.update(issueId, { prepareCursor: 'c1' }, { prepareCursor: null });
      const stale = await store.update(
        issueId,
        { prepareCursor: 'c9', rate: 1 },
        { prepareCursor: null },
      );
      const wrong = await store.update(issueId, { prepareCursor: 'c9' }, { prepareCursor: 'c0' });
      const last = await store.update(
        issueId,
        { prepareCursor: null, preparedAt: LATER },
        { prepareCursor: 'c1' },
      );

      expect([first, stale, wrong, last]).toEqual([true, false, false, true]);
      expect(await store.get(issueId)).toEqual({ ...issue(issueId), preparedAt: LATER });
    });

    it('grants one of two processes moving the same cursor at once', async () => {
      const store = await makeSubject();
      const issueId = '01JISSUE000000000000000006';
      await store.create(issue(issueId));

      const results = await Promise.all(
        ['c1', 'c2'].map((cursor) =>
          store.update(issueId, { prepareCursor: cursor }, { prepareCursor: null }),
        ),
      );

      expect(results.sort()).toEqual([false, true]);
    });

    it('refuses to change an issue that does not exist, with or without an expectation', async () => {
      const store = await makeSubject();
      const missing = '01JMISSING0000000000000000';

      const plain = await rejection(store.update(missing, { rate: 3 }));
      const expecting = await rejection(
        store.update(missing, { prepareCursor: 'c1' }, { prepareCursor: null }),
      );

      expect(plain).toBeInstanceOf(IssueNotFoundError);
      expect(expecting).toBeInstanceOf(IssueNotFoundError);
      expect(await store.get(missing)).toBeUndefined();
    });

    it('answers true to an update with nothing to change, checking nothing', async () => {
      const store = await makeSubject();
      const created = issue('01JISSUE000000000000000007', { prepareCursor: 'c1' });
      await store.create(created);

      const unexpected = await store.update(created.issueId, {}, { prepareCursor: null });
      const missing = await store.update('01JMISSING0000000000000000', { rate: undefined });

      expect([unexpected, missing]).toEqual([true, true]);
      expect(await store.get(created.issueId)).toEqual(created);
      expect(await store.list()).toHaveLength(1);
    });

    it('hands out copies: changing what it returned or was given changes nothing stored', async () => {
      const store = await makeSubject();
      const created = issue('01JISSUE000000000000000008');
      await store.create(created);

      created.subject = 'Changed by the caller';
      const got = await store.get(created.issueId);
      if (!got) throw new Error('the issue was not stored');
      got.articleIds.push('changed-too');
      got.state = 'sent';
      got.timeline.push(entry('changed-too'));
      const moved = await store.move(created.issueId, {
        from: ['sending'],
        to: 'paused',
        entry: entry('pause'),
      });
      if (!moved) throw new Error('the issue did not move');
      moved.timeline.length = 0;
      moved.subject = 'Changed after the move';

      expect(await store.get(created.issueId)).toEqual({
        ...issue('01JISSUE000000000000000008'),
        state: 'paused',
        timeline: [...issue('01JISSUE000000000000000008').timeline, entry('pause')],
      });
    });

    it('gives the sending slot to the first issue that asks, and names it to the next', async () => {
      const store = await makeSubject();

      const first = await store.takeSendingSlot('01JISSUE0000000000000000A1', AT);
      const second = await store.takeSendingSlot('01JISSUE0000000000000000A2', LATER);

      expect(first).toBeUndefined();
      expect(second).toEqual({ issueId: '01JISSUE0000000000000000A1', since: AT });
    });

    it('lets one of two issues that take the slot at once win', async () => {
      const store = await makeSubject();

      const outcomes = await Promise.all(
        ['01JISSUE0000000000000000B1', '01JISSUE0000000000000000B2'].map((id) =>
          store.takeSendingSlot(id, AT),
        ),
      );

      expect(outcomes.filter((holder) => holder === undefined)).toHaveLength(1);
    });

    it('hands the slot over only from the very holder named, and frees it only for its holder', async () => {
      const store = await makeSubject();
      await store.takeSendingSlot('01JISSUE0000000000000000C1', AT);

      const wrongSince = await store.takeSendingSlot('01JISSUE0000000000000000C2', LATER, {
        issueId: '01JISSUE0000000000000000C1',
        since: LATER,
      });
      await store.releaseSendingSlot('01JISSUE0000000000000000C2');
      const handedOver = await store.takeSendingSlot('01JISSUE0000000000000000C3', LATER, {
        issueId: '01JISSUE0000000000000000C1',
        since: AT,
      });
      await store.releaseSendingSlot('01JISSUE0000000000000000C3');
      const free = await store.takeSendingSlot('01JISSUE0000000000000000C4', LATER);

      expect(wrongSince).toEqual({ issueId: '01JISSUE0000000000000000C1', since: AT });
      expect(handedOver).toBeUndefined();
      expect(free).toBeUndefined();
    });

    it('keeps the slot out of the issues it lists and gets', async () => {
      const store = await makeSubject();
      await store.create(issue('01JISSUE0000000000000000D1'));

      await store.takeSendingSlot('01JISSUE0000000000000000D1', AT);

      expect((await store.list()).map((listed) => listed.issueId)).toEqual([
        '01JISSUE0000000000000000D1',
      ]);
    });

    it('schedules an issue with its time and removes the time when the move says null', async () => {
      const store = await makeSubject();
      const created = draft('01JISSUE0000000000000000E1');
      await store.create(created);
      const scheduledAt = '2026-11-28T09:00:00.000Z';
      const schedule = entry('schedule', LATER, `for ${scheduledAt}`);
      const unschedule = entry('unschedule', '2026-11-27T08:01:00.000Z');

      const scheduled = await store.move(created.issueId, {
        from: ['draft'],
        to: 'scheduled',
        version: 1,
        changes: { scheduledAt },
        entry: schedule,
      });
      const storedScheduled = await store.get(created.issueId);
      const unscheduled = await store.move(created.issueId, {
        from: ['scheduled'],
        to: 'draft',
        changes: { scheduledAt: null },
        entry: unschedule,
      });

      expect(scheduled).toEqual({
        ...created,
        state: 'scheduled',
        scheduledAt,
        timeline: [...created.timeline, schedule],
      });
      expect(storedScheduled).toEqual(scheduled);
      const expected: Issue = { ...created, timeline: [...created.timeline, schedule, unschedule] };
      expect(unscheduled).toEqual(expected);
      expect(await store.get(created.issueId)).toEqual(expected);
      expect(await store.list()).toEqual([expected]);
    });

    it('has no approval until one is made, then gives back the last one made', async () => {
      const store = await makeSubject();
      const first = { issueId: '01JISSUE0000000000000000F1', version: 1, at: AT, actor: 'cli:a' };
      const second = {
        issueId: '01JISSUE0000000000000000F2',
        version: 3,
        at: LATER,
        actor: 'cli:b',
      };

      const none = await store.approval();
      await store.approve(first);
      const approvedFirst = await store.approval();
      await store.approve(second);

      expect(none).toBeUndefined();
      expect(approvedFirst).toEqual(first);
      expect(await store.approval()).toEqual(second);
    });

    it('replaces the approval of a draft by that of its new version', async () => {
      const store = await makeSubject();
      const issueId = '01JISSUE0000000000000000F3';
      await store.approve({ issueId, version: 1, at: AT, actor: 'cli:a' });

      await store.approve({ issueId, version: 2, at: LATER, actor: 'cli:a' });

      expect(await store.approval()).toEqual({ issueId, version: 2, at: LATER, actor: 'cli:a' });
    });

    it('clears the approval only for the issue it names', async () => {
      const store = await makeSubject();
      const approval = {
        issueId: '01JISSUE0000000000000000G1',
        version: 2,
        at: AT,
        actor: 'cli:a',
      };
      await store.approve(approval);

      await store.clearApproval('01JISSUE0000000000000000G2');
      const kept = await store.approval();
      await store.clearApproval(approval.issueId);
      const cleared = await store.approval();
      await store.clearApproval(approval.issueId);

      expect(kept).toEqual(approval);
      expect(cleared).toBeUndefined();
      expect(await store.approval()).toBeUndefined();
    });

    it('keeps the approval out of the issues it lists and gets, and apart from the slot', async () => {
      const store = await makeSubject();
      const created = draft('01JISSUE0000000000000000H1');
      await store.create(created);
      const approval = { issueId: created.issueId, version: 1, at: AT, actor: 'cli:a' };

      await store.approve(approval);
      const slotHolder = await store.takeSendingSlot('01JISSUE0000000000000000H2', LATER);
      await store.releaseSendingSlot('01JISSUE0000000000000000H2');

      expect(await store.list()).toEqual([created]);
      expect(await store.get(created.issueId)).toEqual(created);
      expect(slotHolder).toBeUndefined();
      expect(await store.approval()).toEqual(approval);
    });

    it('hands out a copy of the approval: changing it changes nothing stored', async () => {
      const store = await makeSubject();
      const approval = {
        issueId: '01JISSUE0000000000000000J1',
        version: 1,
        at: AT,
        actor: 'cli:a',
      };
      await store.approve(approval);

      approval.version = 5;
      const got = await store.approval();
      if (!got) throw new Error('no approval was stored');
      got.issueId = 'changed by the caller';

      expect(await store.approval()).toEqual({ ...approval, version: 1 });
    });
  });
}
