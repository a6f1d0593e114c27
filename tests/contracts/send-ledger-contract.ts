import { describe, expect, it } from 'vitest';
import type { SendLedger, SendRecord } from '#core/sending/ports.ts';
import { recipientEventCounts, sendCounts } from '#core/sending/send-counts.ts';

const ISSUE = '01JLEDGER00000000000000001';
const OTHER_ISSUE = '01JLEDGER00000000000000002';
const AT = '2026-11-27T08:00:00.000Z';
const LATER = '2026-11-27T08:00:05.000Z';

const queued = (subscriberId: string) => ({ subscriberId, status: 'queued' as const });
const bySubscriber = (a: { subscriberId: string }, b: { subscriberId: string }) =>
  a.subscriberId < b.subscriberId ? -1 : a.subscriberId > b.subscriberId ? 1 : 0;

async function record(ledger: SendLedger, subscriberId: string, issueId = ISSUE) {
  const [found] = await ledger.getMany(issueId, [subscriberId]);
  return found;
}

/** Counts with every status not given at 0. */
const counts = sendCounts;

/** Event counts with every type not given at 0. */
const events = recipientEventCounts;

const LINK_A = 'https://news.example.com/articles/night-trains';
const LINK_B = 'https://news.example.com/issues/01JLEDGER00000000000000001';

/** `count` subscriber ids as ULIDs are (26 characters), spread over every counter shard. */
const subscriberIds = (count: number) =>
  Array.from({ length: count }, (_, i) => `01JSUBSCRIBER${String(i).padStart(13, '0')}`);

/** What every `SendLedger` promises; `makeSubject` gives an empty ledger each time. */
export function describeSendLedgerContract(
  name: string,
  makeSubject: () => SendLedger | Promise<SendLedger>,
) {
  describe(`${name} keeps the SendLedger contract`, () => {
    it('adds a record for each subscriber without one, stamped with the time given', async () => {
      const ledger = await makeSubject();

      const added = await ledger.addMissing(
        ISSUE,
        [queued('s1'), { subscriberId: 's2', status: 'suppressed' }],
        AT,
      );

      expect(added.sort(bySubscriber)).toEqual([
        { subscriberId: 's1', status: 'queued' },
        { subscriberId: 's2', status: 'suppressed' },
      ]);
      expect(await ledger.list(ISSUE)).toEqual([
        { issueId: ISSUE, subscriberId: 's1', status: 'queued', updatedAt: AT },
        { issueId: ISSUE, subscriberId: 's2', status: 'suppressed', updatedAt: AT },
      ]);
    });

    it('leaves existing records untouched and reports only those it added', async () => {
      const ledger = await makeSubject();
      await ledger.addMissing(ISSUE, [queued('s1')], AT);
      await ledger.update(
        ISSUE,
        's1',
        { status: ['queued'] },
        { status: 'sent', messageId: 'm1' },
        AT,
      );

      const added = await ledger.addMissing(
        ISSUE,
        [queued('s1'), { subscriberId: 's2', status: 'suppressed' }],
        LATER,
      );

      expect(added).toEqual([{ subscriberId: 's2', status: 'suppressed' }]);
      expect(await ledger.list(ISSUE)).toEqual([
        { issueId: ISSUE, subscriberId: 's1', status: 'sent', messageId: 'm1', updatedAt: AT },
        { issueId: ISSUE, subscriberId: 's2', status: 'suppressed', updatedAt: LATER },
      ]);
    });

    it('adds a subscriber listed twice once', async () => {
      const ledger = await makeSubject();

      const added = await ledger.addMissing(ISSUE, [queued('s1'), queued('s1')], AT);

      expect(added).toEqual([queued('s1')]);
      expect(await ledger.list(ISSUE)).toHaveLength(1);
    });

    it('adds each record once when two processes prepare the same issue at once', async () => {
      const ledger = await makeSubject();
      const entries = Array.from({ length: 40 }, (_, i) =>
        queued(`s${String(i).padStart(2, '0')}`),
      );

      const [first, second] = await Promise.all([
        ledger.addMissing(ISSUE, entries, AT),
        ledger.addMissing(ISSUE, entries, LATER),
      ]);

      expect([...first, ...second].sort(bySubscriber)).toEqual(entries);
      expect(await ledger.list(ISSUE)).toHaveLength(40);
    });

    it('keeps the records of different issues apart', async () => {
      const ledger = await makeSubject();
      await ledger.addMissing(ISSUE, [queued('s1')], AT);

      const added = await ledger.addMissing(OTHER_ISSUE, [queued('s1'), queued('s2')], LATER);

      expect(added.sort(bySubscriber)).toEqual([queued('s1'), queued('s2')]);
      expect((await ledger.list(ISSUE)).map((r) => r.subscriberId)).toEqual(['s1']);
      expect(await ledger.getMany(ISSUE, ['s2'])).toEqual([]);
      expect(await ledger.list('01JLEDGER00000000000000009')).toEqual([]);
    });

    it('reads the records asked for and leaves out subscribers without one', async () => {
      const ledger = await makeSubject();
      await ledger.addMissing(ISSUE, [queued('s1'), queued('s2'), queued('s3')], AT);

      const found = await ledger.getMany(ISSUE, ['s3', 'missing', 's1']);

      expect(found.sort(bySubscriber).map((r) => r.subscriberId)).toEqual(['s1', 's3']);
      expect(await ledger.getMany(ISSUE, [])).toEqual([]);
    });

    it('changes a record whose status is expected, stamped with the time given', async () => {
      const ledger = await makeSubject();
      await ledger.addMissing(ISSUE, [queued('s1')], AT);

      const changed = await ledger.update(
        ISSUE,
        's1',
        { status: ['claimed', 'queued'] },
        { status: 'claimed', claim: 'c1' },
        LATER,
      );

      expect(changed).toBe(true);
      expect(await record(ledger, 's1')).toEqual({
        issueId: ISSUE,
        subscriberId: 's1',
        status: 'claimed',
        claim: 'c1',
        updatedAt: LATER,
      });
    });

    it('refuses a change from an unexpected status and writes nothing', async () => {
      const ledger = await makeSubject();
      await ledger.addMissing(ISSUE, [{ subscriberId: 's1', status: 'suppressed' }], AT);

      const changed = await ledger.update(
        ISSUE,
        's1',
        { status: ['queued'] },
        { status: 'sent', messageId: 'm1' },
        LATER,
      );

      expect(changed).toBe(false);
      expect(await record(ledger, 's1')).toEqual({
        issueId: ISSUE,
        subscriberId: 's1',
        status: 'suppressed',
        updatedAt: AT,
      });
    });

    it('refuses to change a record that does not exist, and creates none', async () => {
      const ledger = await makeSubject();

      const changed = await ledger.update(
        ISSUE,
        'ghost',
        { status: ['queued', 'claimed', 'unknown', 'sent', 'failed', 'suppressed'] },
        { status: 'sent' },
        AT,
      );

      expect(changed).toBe(false);
      expect(await ledger.list(ISSUE)).toEqual([]);
    });

    it('changes a claimed record only for the attempt that holds the claim', async () => {
      const ledger = await makeSubject();
      await ledger.addMissing(ISSUE, [queued('s1')], AT);
      await ledger.update(
        ISSUE,
        's1',
        { status: ['queued'] },
        { status: 'claimed', claim: 'c1' },
        AT,
      );

      const byOther = await ledger.update(
        ISSUE,
        's1',
        { status: ['claimed'], claim: 'c2' },
        { status: 'sent', messageId: 'x' },
        LATER,
      );
      const unclaimed = await ledger.update(
        ISSUE,
        's1',
        { status: ['claimed'], claim: null },
        { status: 'sent', messageId: 'x' },
        LATER,
      );
      const byHolder = await ledger.update(
        ISSUE,
        's1',
        { status: ['claimed'], claim: 'c1' },
        { status: 'sent', messageId: 'm1' },
        LATER,
      );

      expect([byOther, unclaimed, byHolder]).toEqual([false, false, true]);
      expect(await record(ledger, 's1')).toEqual({
        issueId: ISSUE,
        subscriberId: 's1',
        status: 'sent',
        claim: 'c1',
        messageId: 'm1',
        updatedAt: LATER,
      });
    });

    it('removes a claim given as null and expects none with a null claim', async () => {
      const ledger = await makeSubject();
      await ledger.addMissing(ISSUE, [queued('s1')], AT);
      await ledger.update(
        ISSUE,
        's1',
        { status: ['queued'] },
        { status: 'claimed', claim: 'c1' },
        AT,
      );

      const released = await ledger.update(
        ISSUE,
        's1',
        { status: ['claimed'], claim: 'c1' },
        { status: 'queued', claim: null },
        LATER,
      );
      const claimedAnew = await ledger.update(
        ISSUE,
        's1',
        { status: ['queued'], claim: null },
        { status: 'claimed', claim: 'c2' },
        LATER,
      );

      expect([released, claimedAnew]).toEqual([true, true]);
      expect((await record(ledger, 's1'))?.claim).toBe('c2');
    });

    it('keeps the fields a change leaves out', async () => {
      const ledger = await makeSubject();
      await ledger.addMissing(ISSUE, [queued('s1')], AT);
      await ledger.update(
        ISSUE,
        's1',
        { status: ['queued'] },
        { status: 'failed', claim: 'c1', error: 'MessageRejected: refused' },
        AT,
      );

      await ledger.update(
        ISSUE,
        's1',
        { status: ['failed'] },
        { status: 'sent', messageId: 'm1' },
        LATER,
      );

      expect(await record(ledger, 's1')).toEqual<SendRecord>({
        issueId: ISSUE,
        subscriberId: 's1',
        status: 'sent',
        claim: 'c1',
        messageId: 'm1',
        error: 'MessageRejected: refused',
        updatedAt: LATER,
      });
    });

    it('takes over a record only when it was not touched since it was read', async () => {
      const ledger = await makeSubject();
      await ledger.addMissing(ISSUE, [queued('s1')], AT);
      await ledger.update(
        ISSUE,
        's1',
        { status: ['queued'] },
        { status: 'unknown', claim: 'c1' },
        AT,
      );
      const seen = { status: ['unknown'] as const, claim: 'c1', updatedAt: AT };

      const first = await ledger.update(
        ISSUE,
        's1',
        seen,
        { status: 'claimed', claim: 'c2' },
        LATER,
      );
      const second = await ledger.update(
        ISSUE,
        's1',
        seen,
        { status: 'claimed', claim: 'c3' },
        LATER,
      );

      expect([first, second]).toEqual([true, false]);
      expect((await record(ledger, 's1'))?.claim).toBe('c2');
    });

    it('grants a claim to one of two senders racing for it', async () => {
      const ledger = await makeSubject();
      await ledger.addMissing(ISSUE, [queued('s1')], AT);

      const results = await Promise.all(
        ['c1', 'c2'].map((claim) =>
          ledger.update(ISSUE, 's1', { status: ['queued'] }, { status: 'claimed', claim }, LATER),
        ),
      );

      expect(results.sort()).toEqual([false, true]);
    });

    it('reads an issue page by page, in subscriber id order by code unit', async () => {
      const ledger = await makeSubject();
      const ids = ['s-a', 's-B', 's-10', 's-9', 's-Z', 's-b', 's-A', 's-1'];
      await ledger.addMissing(ISSUE, ids.map(queued), AT);
      await ledger.addMissing(OTHER_ISSUE, [queued('s-0')], AT);

      const pages: SendRecord[][] = [];
      for await (const page of ledger.pages(ISSUE)) pages.push(page);

      const inOrder = ['s-1', 's-10', 's-9', 's-A', 's-B', 's-Z', 's-a', 's-b'];
      expect(pages.flat().map((r) => r.subscriberId)).toEqual(inOrder);
      expect(pages.every((page) => page.length > 0)).toBe(true);
      expect((await ledger.list(ISSUE)).map((r) => r.subscriberId)).toEqual(inOrder);
    });

    it('counts an issue never prepared as empty', async () => {
      const ledger = await makeSubject();
      await ledger.addMissing(OTHER_ISSUE, [queued('s1')], AT);

      expect(await ledger.counts(ISSUE)).toEqual(counts());
    });

    it('counts only the records it added, each once however often it is asked to add', async () => {
      const ledger = await makeSubject();
      await ledger.addMissing(
        ISSUE,
        [queued('s1'), queued('s2'), { subscriberId: 's3', status: 'suppressed' }],
        AT,
      );
      await ledger.update(ISSUE, 's1', { status: ['queued'] }, { status: 'sent' }, AT);

      await ledger.addMissing(ISSUE, [queued('s1'), queued('s2'), queued('s4')], LATER);
      await ledger.addMissing(ISSUE, [queued('s4'), queued('s4')], LATER);

      expect(await ledger.counts(ISSUE)).toEqual(counts({ queued: 2, sent: 1, suppressed: 1 }));
      expect(await ledger.counts(OTHER_ISSUE)).toEqual(counts());
    });

    it('counts each record once when two processes prepare the same issue at once', async () => {
      const ledger = await makeSubject();
      const entries = subscriberIds(60).map(queued);

      await Promise.all([
        ledger.addMissing(ISSUE, entries, AT),
        ledger.addMissing(ISSUE, entries, LATER),
      ]);

      expect(await ledger.counts(ISSUE)).toEqual(counts({ queued: 60 }));
    });

    it('moves a count with each change of status a send makes', async () => {
      const ledger = await makeSubject();
      await ledger.addMissing(ISSUE, ['s1', 's2', 's3', 's4'].map(queued), AT);
      const step = (id: string, from: SendRecord['status'], to: SendRecord['status']) =>
        ledger.update(ISSUE, id, { status: [from] }, { status: to }, LATER);

      await step('s1', 'queued', 'claimed');
      await step('s2', 'queued', 'claimed');
      await step('s3', 'queued', 'claimed');
      const midway = await ledger.counts(ISSUE);
      await step('s1', 'claimed', 'unknown');
      await step('s1', 'unknown', 'claimed');
      await step('s1', 'claimed', 'sent');
      await step('s2', 'claimed', 'failed');
      await step('s3', 'claimed', 'queued');

      expect(midway).toEqual(counts({ queued: 1, claimed: 3 }));
      expect(await ledger.counts(ISSUE)).toEqual(counts({ queued: 2, sent: 1, failed: 1 }));
    });

    it('leaves the counts as they are when a change keeps the status', async () => {
      const ledger = await makeSubject();
      await ledger.addMissing(ISSUE, [queued('s1'), queued('s2')], AT);
      await ledger.update(
        ISSUE,
        's1',
        { status: ['queued'] },
        { status: 'claimed', claim: 'c1' },
        AT,
      );
      await ledger.update(ISSUE, 's2', { status: ['queued'] }, { status: 'sent', claim: 'c2' }, AT);

      const renewed = await ledger.update(
        ISSUE,
        's1',
        { status: ['claimed'], claim: 'c1' },
        { status: 'claimed', claim: 'c3' },
        LATER,
      );
      const sentAgain = await ledger.update(
        ISSUE,
        's2',
        { status: ['claimed', 'unknown', 'sent'], claim: 'c2' },
        { status: 'sent', messageId: 'm2' },
        LATER,
      );

      expect([renewed, sentAgain]).toEqual([true, true]);
      expect(await ledger.counts(ISSUE)).toEqual(counts({ claimed: 1, sent: 1 }));
    });

    it('moves no count when a change is refused', async () => {
      const ledger = await makeSubject();
      await ledger.addMissing(
        ISSUE,
        [queued('s1'), { subscriberId: 's2', status: 'suppressed' }],
        AT,
      );

      const refused = await Promise.all([
        ledger.update(ISSUE, 's2', { status: ['queued'] }, { status: 'sent' }, LATER),
        ledger.update(ISSUE, 's1', { status: ['queued'], claim: 'c9' }, { status: 'sent' }, LATER),
        ledger.update(ISSUE, 'ghost', { status: ['queued'] }, { status: 'sent' }, LATER),
      ]);

      expect(refused).toEqual([false, false, false]);
      expect(await ledger.counts(ISSUE)).toEqual(counts({ queued: 1, suppressed: 1 }));
    });

    it('keeps a queued record cancelled, and counts it so', async () => {
      const ledger = await makeSubject();
      await ledger.addMissing(ISSUE, [queued('s1'), queued('s2')], AT);
      await ledger.update(ISSUE, 's2', { status: ['queued'] }, { status: 'sent' }, AT);

      const cancelled = await Promise.all(
        ['s1', 's2'].map((id) =>
          ledger.update(ISSUE, id, { status: ['queued'] }, { status: 'cancelled' }, LATER),
        ),
      );

      expect(cancelled).toEqual([true, false]);
      expect(await record(ledger, 's1')).toEqual({
        issueId: ISSUE,
        subscriberId: 's1',
        status: 'cancelled',
        updatedAt: LATER,
      });
      expect(await ledger.counts(ISSUE)).toEqual(counts({ sent: 1, cancelled: 1 }));
    });

    it('adds held records, counts them, and moves them and their counts like any other', async () => {
      const ledger = await makeSubject();
      const ids = subscriberIds(12);
      const held = (subscriberId: string) => ({ subscriberId, status: 'held' as const });

      const added = await ledger.addMissing(
        ISSUE,
        [...ids.slice(0, 10).map(held), ...ids.slice(10).map(queued)],
        AT,
      );
      const counted = await ledger.counts(ISSUE);
      const moved = await Promise.all([
        ...ids
          .slice(0, 4)
          .map((id) => ledger.update(ISSUE, id, { status: ['held'] }, { status: 'queued' }, LATER)),
        ledger.update(
          ISSUE,
          ids[4] as string,
          { status: ['held'] },
          { status: 'cancelled' },
          LATER,
        ),
        ledger.update(
          ISSUE,
          ids[5] as string,
          { status: ['held'] },
          { status: 'claimed', claim: 'c1' },
          LATER,
        ),
        ledger.update(ISSUE, ids[10] as string, { status: ['held'] }, { status: 'sent' }, LATER),
      ]);

      expect(added.filter((entry) => entry.status === 'held')).toHaveLength(10);
      expect(await record(ledger, ids[9] as string)).toEqual({
        issueId: ISSUE,
        subscriberId: ids[9],
        status: 'held',
        updatedAt: AT,
      });
      expect(counted).toEqual(counts({ held: 10, queued: 2 }));
      expect(moved).toEqual([true, true, true, true, true, true, false]);
      expect(await ledger.counts(ISSUE)).toEqual(
        counts({ held: 4, queued: 6, claimed: 1, cancelled: 1 }),
      );
    });

    it('keeps the sums right under many changes at once', async () => {
      const ledger = await makeSubject();
      const ids = subscriberIds(120);
      await Promise.all(
        [ids.slice(0, 60), ids.slice(40)].map((some) =>
          ledger.addMissing(ISSUE, some.map(queued), AT),
        ),
      );

      // Two senders race for every record; whoever claims it settles it.
      await Promise.all(
        ids.flatMap((id, index) =>
          ['c1', 'c2'].map(async (claim) => {
            const claimed = await ledger.update(
              ISSUE,
              id,
              { status: ['queued'] },
              { status: 'claimed', claim },
              LATER,
            );
            if (!claimed) return;
            const outcome = index % 3 === 0 ? 'failed' : index % 3 === 1 ? 'sent' : 'unknown';
            await ledger.update(
              ISSUE,
              id,
              { status: ['claimed'], claim },
              { status: outcome },
              LATER,
            );
          }),
        ),
      );

      expect(await ledger.counts(ISSUE)).toEqual(counts({ sent: 40, failed: 40, unknown: 40 }));
    });

    it('never hands out its counts as records', async () => {
      const ledger = await makeSubject();
      const ids = ['-', '-z', '0', 'A', '_', 'z', ...subscriberIds(20)];
      await ledger.addMissing(ISSUE, ids.map(queued), AT);
      await Promise.all(
        ids.map((id) => ledger.update(ISSUE, id, { status: ['queued'] }, { status: 'sent' }, AT)),
      );

      const paged: SendRecord[] = [];
      for await (const page of ledger.pages(ISSUE)) paged.push(...page);
      const listed = await ledger.list(ISSUE);

      const sorted = [...ids].sort();
      expect(paged.map((r) => r.subscriberId)).toEqual(sorted);
      expect(listed.map((r) => r.subscriberId)).toEqual(sorted);
      expect(listed.every((r) => r.status === 'sent')).toBe(true);
      expect(await ledger.getMany(ISSUE, ['#count#0', '#count#9', '0'])).toHaveLength(1);
    });

    it('corrects its counts to a full count given, and counts on from there', async () => {
      const ledger = await makeSubject();
      await ledger.addMissing(ISSUE, ['s1', 's2', 's3'].map(queued), AT);

      await ledger.correctCounts(ISSUE, counts({ queued: 2, sent: 1 }));
      const corrected = await ledger.counts(ISSUE);
      await ledger.update(ISSUE, 's1', { status: ['queued'] }, { status: 'sent' }, LATER);

      expect(corrected).toEqual(counts({ queued: 2, sent: 1 }));
      expect(await ledger.counts(ISSUE)).toEqual(counts({ queued: 1, sent: 2 }));
      expect(await ledger.counts(OTHER_ISSUE)).toEqual(counts());
    });

    it('keeps its counts when corrected to what they are', async () => {
      const ledger = await makeSubject();
      await ledger.addMissing(ISSUE, ['s1', 's2'].map(queued), AT);
      await ledger.update(ISSUE, 's1', { status: ['queued'] }, { status: 'failed' }, AT);

      await ledger.correctCounts(ISSUE, counts({ queued: 1, failed: 1 }));

      expect(await ledger.counts(ISSUE)).toEqual(counts({ queued: 1, failed: 1 }));
    });

    it('counts an event once per recipient, however often it is reported', async () => {
      const ledger = await makeSubject();
      await ledger.addMissing(ISSUE, ['s1', 's2'].map(queued), AT);

      const recorded = [
        await ledger.recordEvent(ISSUE, 's1', { type: 'delivered' }, AT),
        await ledger.recordEvent(ISSUE, 's1', { type: 'delivered' }, LATER),
        await ledger.recordEvent(ISSUE, 's2', { type: 'delivered' }, LATER),
      ];

      expect(recorded).toEqual([true, false, true]);
      expect(await ledger.eventCounts(ISSUE)).toEqual(events({ delivered: 2 }));
      expect(await ledger.eventCounts(OTHER_ISSUE)).toEqual(events());
    });

    it('counts each event type apart: a delayed message can be delivered after', async () => {
      const ledger = await makeSubject();
      await ledger.addMissing(ISSUE, ['s1', 's2'].map(queued), AT);

      await ledger.recordEvent(ISSUE, 's1', { type: 'delayed' }, AT);
      await ledger.recordEvent(ISSUE, 's1', { type: 'delivered' }, LATER);
      await ledger.recordEvent(ISSUE, 's2', { type: 'bouncedTransient' }, AT);
      await ledger.recordEvent(ISSUE, 's2', { type: 'bouncedPermanent' }, LATER);
      await ledger.recordEvent(ISSUE, 's2', { type: 'complained' }, LATER);
      await ledger.recordEvent(ISSUE, 's2', { type: 'unsubscribed' }, LATER);

      expect(await ledger.eventCounts(ISSUE)).toEqual(
        events({
          delayed: 1,
          delivered: 1,
          bouncedTransient: 1,
          bouncedPermanent: 1,
          complained: 1,
          unsubscribed: 1,
        }),
      );
    });

    it('counts nothing for a subscriber without a record in the issue, and creates none', async () => {
      const ledger = await makeSubject();
      await ledger.addMissing(OTHER_ISSUE, [queued('s1')], AT);

      const recorded = await Promise.all([
        ledger.recordEvent(ISSUE, 's1', { type: 'delivered' }, AT),
        ledger.recordEvent(ISSUE, 'ghost', { type: 'clicked', link: LINK_A }, AT),
        ledger.recordEvent(ISSUE, '#count#0', { type: 'opened' }, AT),
      ]);

      expect(recorded).toEqual([false, false, false]);
      expect(await ledger.list(ISSUE)).toEqual([]);
      expect(await ledger.eventCounts(ISSUE)).toEqual(events());
      expect(await ledger.linkClicks(ISSUE)).toEqual([]);
      expect(await ledger.eventTimeline(ISSUE)).toEqual([]);
    });

    it('counts a link once per recipient, and a recipient once as clicked whatever the links', async () => {
      const ledger = await makeSubject();
      await ledger.addMissing(ISSUE, ['s1', 's2', 's3'].map(queued), AT);

      const recorded = [
        await ledger.recordEvent(ISSUE, 's1', { type: 'clicked', link: LINK_A }, AT),
        await ledger.recordEvent(ISSUE, 's1', { type: 'clicked', link: LINK_A }, LATER),
        await ledger.recordEvent(ISSUE, 's1', { type: 'clicked', link: LINK_B }, LATER),
        await ledger.recordEvent(ISSUE, 's2', { type: 'clicked', link: LINK_A }, LATER),
      ];

      expect(recorded).toEqual([true, false, true, true]);
      expect(await ledger.linkClicks(ISSUE)).toEqual([
        { link: LINK_A, clicks: 2 },
        { link: LINK_B, clicks: 1 },
      ]);
      expect(await ledger.eventCounts(ISSUE)).toEqual(events({ clicked: 2 }));
      expect(await ledger.linkClicks(OTHER_ISSUE)).toEqual([]);
    });

    it('counts a recipient once when the same events arrive many times at once', async () => {
      const ledger = await makeSubject();
      const ids = subscriberIds(30);
      await ledger.addMissing(ISSUE, ids.map(queued), AT);

      const recorded = await Promise.all(
        [1, 2, 3].flatMap(() =>
          ids.flatMap((id) => [
            ledger.recordEvent(ISSUE, id, { type: 'delivered' }, AT),
            ledger.recordEvent(ISSUE, id, { type: 'clicked', link: LINK_A }, LATER),
          ]),
        ),
      );

      expect(recorded.filter(Boolean)).toHaveLength(60);
      expect(await ledger.eventCounts(ISSUE)).toEqual(events({ delivered: 30, clicked: 30 }));
      expect(await ledger.linkClicks(ISSUE)).toEqual([{ link: LINK_A, clicks: 30 }]);
    });

    it('keeps the events by the minute they happened in, adding up to the counts', async () => {
      const ledger = await makeSubject();
      const ids = subscriberIds(12);
      await ledger.addMissing(ISSUE, ids.map(queued), AT);

      for (const [index, id] of ids.entries()) {
        // Six in 08:00, six in 08:01; the offset is read, not dropped.
        const at = index < 6 ? '2026-11-27T09:00:59.999+01:00' : '2026-11-27T08:01:00.000Z';
        await ledger.recordEvent(ISSUE, id, { type: 'delivered' }, at);
        if (index % 3 === 0) await ledger.recordEvent(ISSUE, id, { type: 'opened' }, at);
      }
      await ledger.recordEvent(ISSUE, ids[0] as string, { type: 'opened' }, '2026-11-27T10:00Z');

      const timeline = await ledger.eventTimeline(ISSUE);

      expect(timeline).toEqual([
        { minute: '2026-11-27T08:00', counts: events({ delivered: 6, opened: 2 }) },
        { minute: '2026-11-27T08:01', counts: events({ delivered: 6, opened: 2 }) },
      ]);
      expect(await ledger.eventCounts(ISSUE)).toEqual(events({ delivered: 12, opened: 4 }));
      expect(await ledger.eventTimeline(OTHER_ISSUE)).toEqual([]);
    });

    it('keeps its event counts apart from the records and their status counts', async () => {
      const ledger = await makeSubject();
      await ledger.addMissing(ISSUE, ['s1', 's2'].map(queued), AT);
      await ledger.update(ISSUE, 's1', { status: ['queued'] }, { status: 'sent' }, AT);
      const before = await ledger.list(ISSUE);

      await ledger.recordEvent(ISSUE, 's1', { type: 'delivered' }, LATER);
      await ledger.recordEvent(ISSUE, 's1', { type: 'clicked', link: LINK_A }, LATER);
      await ledger.correctCounts(ISSUE, counts({ queued: 1, sent: 1 }));

      const paged: SendRecord[] = [];
      for await (const page of ledger.pages(ISSUE)) paged.push(...page);
      expect(paged).toEqual(before);
      expect(await ledger.list(ISSUE)).toEqual(before);
      expect(await ledger.counts(ISSUE)).toEqual(counts({ queued: 1, sent: 1 }));
      expect(await ledger.eventCounts(ISSUE)).toEqual(events({ delivered: 1, clicked: 1 }));
      expect(
        await ledger.update(ISSUE, 's2', { status: ['queued'] }, { status: 'sent' }, LATER),
      ).toBe(true);
    });

    it('hands out copies: changing a record read changes nothing stored', async () => {
      const ledger = await makeSubject();
      await ledger.addMissing(ISSUE, [queued('s1')], AT);

      const [read] = await ledger.list(ISSUE);
      if (!read) throw new Error('the record was not added');
      read.status = 'sent';

      expect((await record(ledger, 's1'))?.status).toBe('queued');
    });
  });
}
