import { describe, expect, it } from 'vitest';
import { recipientEventCounts } from '#core/sending/send-counts.ts';
import { signSubscriberToken } from '#core/subscribers/subscriber-token.ts';
import { unsubscribe } from '#core/subscribers/unsubscribe.ts';
import { MemorySendLedger } from '../fakes/memory-stores.ts';
import { memorySubscriptionDeps } from '../fakes/memory-subscription-stores.ts';

// An unsubscribe through an issue's link (or its List-Unsubscribe header, the same link)
// counts for the issue the token names, once per reader.

const ISSUE = '01JNQ3V8C2K7ZP4R6T9W1XB5DE';
const OTHER_ISSUE = '01JNT0A4B6C8D1E3F5G7H9J2KM';

async function readerOfIssue() {
  const ledger = new MemorySendLedger();
  const deps = { ...memorySubscriptionDeps(), issueEvents: ledger };
  const { subscriber } = await deps.subscribers.add({
    id: '01JREADER00000000000000001',
    email: 'reader@example.com',
    status: 'active',
    source: 'cli',
    createdAt: '2026-11-20T08:00:00.000Z',
  });
  await ledger.addMissing(ISSUE, [{ subscriberId: subscriber.id, status: 'queued' }], 'then');
  await ledger.update(ISSUE, subscriber.id, { status: ['queued'] }, { status: 'sent' }, 'then');
  const link = (issueId?: string) =>
    signSubscriberToken(
      deps.linkKeys.keys.newest,
      subscriber.id,
      'unsubscribe',
      issueId ? { issueId } : {},
    );
  return { deps, ledger, subscriber, link };
}

describe('an unsubscribe through an issue’s link', () => {
  it('counts once for that issue, however often the link is used', async () => {
    const { deps, ledger, link } = await readerOfIssue();

    const outcomes = [await unsubscribe(deps, link(ISSUE)), await unsubscribe(deps, link(ISSUE))];

    expect(outcomes).toEqual(['unsubscribed', 'already-unsubscribed']);
    expect(await ledger.eventCounts(ISSUE)).toEqual(recipientEventCounts({ unsubscribed: 1 }));
  });

  it('counts for no issue through a link that names none, or an issue the reader was not sent', async () => {
    const first = await readerOfIssue();
    const second = await readerOfIssue();

    expect(await unsubscribe(first.deps, first.link())).toBe('unsubscribed');
    expect(await unsubscribe(second.deps, second.link(OTHER_ISSUE))).toBe('unsubscribed');

    expect(await first.ledger.eventCounts(ISSUE)).toEqual(recipientEventCounts());
    expect(await second.ledger.eventCounts(ISSUE)).toEqual(recipientEventCounts());
    expect(await second.ledger.eventCounts(OTHER_ISSUE)).toEqual(recipientEventCounts());
    expect(await second.deps.subscribers.get(second.subscriber.id)).toMatchObject({
      status: 'unsubscribed',
      unsubscribedVia: `issue:${OTHER_ISSUE}`,
    });
  });

  it('unsubscribes the reader even when the count cannot be written', async () => {
    const { deps, ledger, subscriber, link } = await readerOfIssue();
    ledger.recordEvent = async () => {
      throw new Error('DynamoDB is unavailable');
    };

    const outcome = await unsubscribe(deps, link(ISSUE));

    expect(outcome).toBe('unsubscribed');
    expect((await deps.subscribers.get(subscriber.id))?.status).toBe('unsubscribed');
  });
});
