import type { RecipientEvent } from '../sending/ports.ts';
import { issueMessageOf } from './ses-notification.ts';

/** An SES event as an issue counts it: which record, what happened, and when. */
export interface CountableEvent {
  issueId: string;
  subscriberId: string;
  event: RecipientEvent;
  /** When it happened (ISO 8601): SES's time for it, else when it was read. */
  at: string;
}

/** SES's event types that a reader's mail program reports, with `trackEngagement` only. */
const ENGAGEMENT = new Set(['Open', 'Click']);

/**
 * What an SES event counts as for the issue whose message it is about (from the message's
 * tags, as `Send` events are read), or undefined when it counts for none:
 * - `Delivery` → `delivered`; `Bounce` → `bouncedPermanent` (a `Permanent` bounce) or
 *   `bouncedTransient` (`Transient`, `Undetermined`); `Complaint` → `complained` (a
 *   `not-spam` report is no complaint); `Reject` → `rejected`; `DeliveryDelay` → `delayed`;
 * - `Open` → `opened` and `Click` → `clicked` with the link, only when `trackEngagement`
 *   is on; a click on a link that carries a token (an unsubscribe or confirmation link,
 *   which is personal: SES leaves it untracked, `ses:no-track`) is not counted;
 * - nothing for `Send` (the sender's business), for any other type, for a test message or a
 *   message of no issue (no `issueId` and `subscriberId` tags).
 * @param now when the event is read: its time when SES gives none
 */
export function recipientEventOf(
  sesEvent: Record<string, unknown>,
  options: { trackEngagement: boolean; now: Date },
): CountableEvent | undefined {
  const message = issueMessageOf(sesEvent);
  if (!message) return undefined;
  const eventType = sesEvent.eventType ?? sesEvent.notificationType;
  if (typeof eventType !== 'string') return undefined;
  if (ENGAGEMENT.has(eventType) && !options.trackEngagement) return undefined;
  const counted = counting(eventType, sesEvent);
  if (!counted) return undefined;
  const at = timeOf(counted.detail?.timestamp) ?? options.now.toISOString();
  return {
    issueId: message.issueId,
    subscriberId: message.subscriberId,
    event: counted.event,
    at,
  };
}

/** The recipient event of one SES event type, with the object that holds its details. */
function counting(
  eventType: string,
  sesEvent: Record<string, unknown>,
): { event: RecipientEvent; detail?: Record<string, unknown> } | undefined {
  switch (eventType) {
    case 'Delivery':
      return { event: { type: 'delivered' }, detail: objectAt(sesEvent, 'delivery') };
    case 'Bounce': {
      const detail = objectAt(sesEvent, 'bounce');
      if (!detail) return undefined;
      const permanent = detail.bounceType === 'Permanent';
      return { event: { type: permanent ? 'bouncedPermanent' : 'bouncedTransient' }, detail };
    }
    case 'Complaint': {
      const detail = objectAt(sesEvent, 'complaint');
      if (!detail || detail.complaintFeedbackType === 'not-spam') return undefined;
      return { event: { type: 'complained' }, detail };
    }
    case 'Reject':
      // A reject has no time of its own: SES refused the message as it was sent.
      return { event: { type: 'rejected' }, detail: objectAt(sesEvent, 'mail') };
    case 'DeliveryDelay':
      return { event: { type: 'delayed' }, detail: objectAt(sesEvent, 'deliveryDelay') };
    case 'Open':
      return { event: { type: 'opened' }, detail: objectAt(sesEvent, 'open') };
    case 'Click': {
      const detail = objectAt(sesEvent, 'click');
      const link = countableLink(detail?.link);
      if (!detail || !link) return undefined;
      return { event: { type: 'clicked', link }, detail };
    }
    default:
      return undefined;
  }
}

/**
 * The link's address when a click on it may be counted and kept: an `http:` or `https:`
 * address that carries no token, so that nothing personal (a subscriber's id in an
 * unsubscribe or confirmation token) is ever kept with the issue.
 */
function countableLink(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.searchParams.has('token') || url.username || url.password) return undefined;
  return value;
}

/** The time as ISO 8601 when `value` is one, else undefined. */
function timeOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

function objectAt(
  event: Record<string, unknown>,
  name: string,
): Record<string, unknown> | undefined {
  const value = event[name];
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
