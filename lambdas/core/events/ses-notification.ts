import { isTestMessage } from './test-message-tag.ts';

/** An SQS message that should hold an SES event and cannot be read: retrying will not help. */
export class SesNotificationError extends Error {
  override name = 'SesNotificationError';
}

/** What one message of the SES events queue holds. */
export type SesNotification =
  | { kind: 'event'; eventType: string; event: Record<string, unknown> }
  /** Not an SES event: a subscription confirmation, SES's test message on setup. */
  | { kind: 'other'; what: string };

/**
 * The SES event in the body of an SQS message: SNS delivers with raw message delivery off, so
 * the body is SNS's envelope (`Type: Notification`) and its `Message` the event's JSON, with
 * `eventType` (configuration-set events) or `notificationType` (identity notifications).
 * @throws SesNotificationError when the body is not an SNS envelope
 */
export function readSesNotification(body: string): SesNotification {
  let envelope: unknown;
  try {
    envelope = JSON.parse(body);
  } catch {
    throw new SesNotificationError('the message is not JSON: not an SNS envelope');
  }
  if (!isObject(envelope) || typeof envelope.Type !== 'string') {
    throw new SesNotificationError('the message has no SNS envelope (no Type)');
  }
  if (envelope.Type !== 'Notification') return { kind: 'other', what: `SNS ${envelope.Type}` };
  if (typeof envelope.Message !== 'string') {
    throw new SesNotificationError('the SNS notification has no Message');
  }
  let event: unknown;
  try {
    event = JSON.parse(envelope.Message);
  } catch {
    // SES confirms a new event destination with a plain-text notification.
    return { kind: 'other', what: 'a plain-text SNS notification' };
  }
  if (!isObject(event)) return { kind: 'other', what: 'an SNS notification that is not an object' };
  const eventType = event.eventType ?? event.notificationType;
  if (typeof eventType !== 'string')
    return { kind: 'other', what: 'an SNS notification without eventType' };
  return { kind: 'event', eventType, event };
}

/** What a `Send` event says about one of our messages: its ids from the message tags. */
export interface SendEvent {
  issueId: string;
  subscriberId: string;
  /** The attempt the message was sent under. */
  claim?: string;
  messageId: string;
}

/**
 * The ids a `Send` event carries in its message tags (`mail.tags`: name → values), or
 * undefined when the message was not sent by the issue sender (no issue or subscriber tag)
 * or is a test message (`isTestMessage`): those are in no ledger.
 */
export function sendEventOf(event: Record<string, unknown>): SendEvent | undefined {
  return issueMessageOf(event);
}

/**
 * The issue message an SES event of any type is about (SES copies the message's tags into
 * each of its events), with the same ids and the same exclusions as {@link sendEventOf}:
 * undefined for a message of no issue or a test message.
 */
export function issueMessageOf(event: Record<string, unknown>): SendEvent | undefined {
  const mail = event.mail;
  if (!isObject(mail) || typeof mail.messageId !== 'string' || !isObject(mail.tags)) {
    return undefined;
  }
  if (isTestMessage(event)) return undefined;
  const tag = (name: string) => {
    const values = (mail.tags as Record<string, unknown>)[name];
    const value = Array.isArray(values) ? values[0] : undefined;
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const issueId = tag('issueId');
  const subscriberId = tag('subscriberId');
  if (!issueId || !subscriberId) return undefined;
  const claim = tag('claim');
  return { issueId, subscriberId, messageId: mail.messageId, ...(claim ? { claim } : {}) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
