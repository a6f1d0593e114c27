import { describe, expect, it } from 'vitest';
import { IssueNotFoundError } from '#core/issues/issue-not-found-error.ts';
import type { Issue, IssueStore } from '#core/issues/ports.ts';

/** What a promise rejected with, or undefined when it resolved. */
const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

const AT = '2026-11-27T08:00:00.000Z';
const LATER = '2026-11-27T08:00:05.000Z';

function issue(issueId: string, changes: Partial<Issue> = {}): Issue {
  return {
    issueId,
    createdAt: AT,
    subject: `Issue ${issueId}`,
    articleIds: ['ferry-choir', 'night-market'],
    status: 'sending',
    ...changes,
  };
}

/** What every `IssueStore` promises; `makeSubject` gives an empty store each time. */
export function describeIssueStoreContract(
  name: string,
  makeSubject: () => IssueStore | Promise<IssueStore>,
) {
  describe(`${name} keeps the IssueStore contract`, () => {
    it('gives back an issue as it was created, with its optional fields', async () => {
      const store = await makeSubject();
      const created = issue('01JISSUE000000000000000001', {
        rate: 2.5,
        prepareCursor: 'c1',
        images: { count: 3, measured: 2, bytes: 181_234, unmeasured: 1, missing: 0 },
      });

      await store.create(created);

      expect(await store.get(created.issueId)).toEqual(created);
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

    it('marks an issue done, and refuses an issue that does not exist', async () => {
      const store = await makeSubject();
      const created = issue('01JISSUE000000000000000003');
      await store.create(created);

      await store.markDone(created.issueId);
      const refused = await rejection(store.markDone('01JMISSING0000000000000000'));

      expect(await store.get(created.issueId)).toEqual({ ...created, status: 'done' });
      expect(refused).toBeInstanceOf(IssueNotFoundError);
      expect(await store.list()).toHaveLength(1);
    });

    it('marks an issue done with why its unknown outcomes were left, and gives that back', async () => {
      const store = await makeSubject();
      const created = issue('01JISSUE000000000000000009', { preparedAt: AT });
      await store.create(created);
      const heldBy = { reason: 'events-dead-letter-queue', unknown: 2, at: LATER } as const;

      await store.markDone(created.issueId, heldBy);

      expect(await store.get(created.issueId)).toEqual({ ...created, status: 'done', heldBy });
      expect((await store.list())[0]).toEqual({ ...created, status: 'done', heldBy });
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
      got.status = 'done';

      expect(await store.get(created.issueId)).toEqual(issue('01JISSUE000000000000000008'));
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
  });
}
