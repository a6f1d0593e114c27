import { countUnsubscribe } from '../events/count-unsubscribe.ts';
import type { SendLedger } from '../sending/ports.ts';
import { checkLinkToken } from './check-link-token.ts';
import type { LinkKeySource } from './link-keys.ts';
import type { Subscriber, SubscriberStore } from './ports.ts';
import { checkSubscriberToken } from './subscriber-token.ts';

/** What unsubscribing needs. */
export interface UnsubscribeDeps {
  subscribers: SubscriberStore;
  /** The keys that check the links (any not retired). */
  linkKeys: LinkKeySource;
  now(): Date;
  /**
   * Where an unsubscribe through an issue's link is counted for that issue (`unsubscribed`,
   * `countUnsubscribe`); absent, it is not counted.
   */
  issueEvents?: Pick<SendLedger, 'recordEvent'>;
}

/**
 * `ready` (the link would unsubscribe), `unsubscribed` (it just did),
 * `already-unsubscribed` (nothing to do: the subscriber left, is suppressed or is gone),
 * `test` (the link of a test send: to be answered as a working link, and nothing changed),
 * `invalid` (malformed or forged).
 */
export type UnsubscribeOutcome =
  | 'ready'
  | 'unsubscribed'
  | 'already-unsubscribed'
  | 'test'
  | 'invalid';

/**
 * The subscriber an unsubscribe link names (undefined when they are gone) and the issue it
 * came in, `test` for the link of a test send (a token signed for the purpose `test`, which
 * names nobody to act on), or `invalid` for a malformed or forged token, or one whose key is
 * retired: the preview and the unsubscribe must agree on which links are good.
 */
async function linkedSubscriber(
  deps: UnsubscribeDeps,
  token: string,
): Promise<
  { subscriber: Subscriber | undefined; issueId: string | undefined } | 'test' | 'invalid'
> {
  const checked = await checkLinkToken(deps.linkKeys, token, 'unsubscribe');
  if (!checked.valid) {
    if (checked.problem !== 'forged') return 'invalid';
    // Its key is known (else it would be `unknown-key`): the keys as they are now check it.
    const keys = await deps.linkKeys.current();
    return checkSubscriberToken(keys, token, 'test').valid ? 'test' : 'invalid';
  }
  const subscriber = await deps.subscribers.get(checked.subscriberId);
  return { subscriber, issueId: checked.issueId };
}

/**
 * What `POST /unsubscribe` with this token would do; changes nothing (`GET /unsubscribe`).
 * A test send's link gives `test`, to be shown as `ready` is.
 */
export async function previewUnsubscribe(
  deps: UnsubscribeDeps,
  token: string,
): Promise<UnsubscribeOutcome> {
  const link = await linkedSubscriber(deps, token);
  if (link === 'invalid' || link === 'test') return link;
  return link.subscriber && isMailable(link.subscriber) ? 'ready' : 'already-unsubscribed';
}

/**
 * One-click unsubscribe (RFC 8058) with a link from a message. Links never expire; using
 * one again, or one of a subscriber who is gone, is harmless. The link of a test send gives
 * `test` and changes nothing, not even for a subscriber who was sent the test. Leaving
 * through an issue's link (or its header, the same link) counts for that issue.
 */
export async function unsubscribe(
  deps: UnsubscribeDeps,
  token: string,
): Promise<UnsubscribeOutcome> {
  const link = await linkedSubscriber(deps, token);
  if (link === 'invalid' || link === 'test') return link;
  if (!link.subscriber) return 'already-unsubscribed';
  const via = link.issueId ? `issue:${link.issueId}` : 'link';
  if (!(await unsubscribeSubscriber(deps, link.subscriber, via))) return 'already-unsubscribed';
  if (link.issueId && deps.issueEvents) {
    const at = deps.now().toISOString();
    await countUnsubscribe(deps.issueEvents, link.issueId, link.subscriber.id, at);
  }
  return 'unsubscribed';
}

/**
 * Sets an active or pending subscriber `unsubscribed`, and ends any wait for a confirmation
 * (so an outstanding confirmation link no longer works).
 * @param via how they left (`link`, `issue:<id>`, `cli`)
 * @returns false when there was nothing to change
 */
export async function unsubscribeSubscriber(
  deps: UnsubscribeDeps,
  subscriber: Subscriber,
  via: string,
): Promise<boolean> {
  const at = deps.now().toISOString();
  if (subscriber.status === 'unsubscribed' || subscriber.status === 'suppressed') {
    // Someone who left and then asked to come back, who now leaves again: stop the wait.
    if (subscriber.pendingSince) {
      await deps.subscribers.update(subscriber.id, { pendingSince: undefined, updatedAt: at });
    }
    return false;
  }
  const changed = await deps.subscribers.update(
    subscriber.id,
    {
      status: 'unsubscribed',
      unsubscribedAt: at,
      unsubscribedVia: via,
      updatedAt: at,
      pendingSince: undefined,
    },
    { status: ['active', 'pending'] },
  );
  return changed !== undefined;
}

function isMailable(subscriber: Subscriber): boolean {
  return subscriber.status === 'active' || subscriber.status === 'pending';
}
