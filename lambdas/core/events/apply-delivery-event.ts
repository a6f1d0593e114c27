import * as z from 'zod';
import { addressHash } from '../common/address-hash.ts';
import type {
  Subscriber,
  SubscriberStore,
  Suppression,
  SuppressionStore,
} from '../subscribers/ports.ts';
import { suppressAddress } from '../subscribers/suppress-address.ts';
import { isTestMessage } from './test-message-tag.ts';

/** What applying SES's delivery events needs. */
export interface DeliveryEventDeps {
  subscribers: SubscriberStore;
  suppressions: SuppressionStore;
  /** Key of the keyed hash under which suppressed addresses are kept (the hash key). */
  hashKey: Uint8Array;
  /** Transient bounces after which an address is suppressed (`transientBounceLimit`). */
  transientBounceLimit: number;
  now(): Date;
}

/** What was done for one recipient of an event. */
export type RecipientAction = 'suppressed' | 'counted' | 'reset' | 'none';

/** What an event changed, for the handler's log: no address, only its keyed hash. */
export interface DeliveryEventOutcome {
  eventType: string;
  /** SES's id of the message the event is about. */
  messageId: string;
  /** Present when the message was a test send's (`isTestMessage`). */
  test?: true;
  recipients: {
    /**
     * `addressHash` of the address (keyed, as its suppression is kept): tells lines about one
     * address apart, and nobody without the key can test a guessed address against it.
     */
    address: string;
    subscriberId?: string;
    action: RecipientAction;
    /** For `counted`: distinct transiently bounced messages so far. */
    transientBounces?: number;
  }[];
}

/** A message that is not an SES event this code can read; retrying will not help. */
export class DeliveryEventError extends Error {
  override name = 'DeliveryEventError';
}

const recipient = z.looseObject({ emailAddress: z.string() });
const sesEvent = z.looseObject({
  // `notificationType` in feedback notifications set on an identity rather than through a
  // configuration set; the objects are the same.
  eventType: z.string().optional(),
  notificationType: z.string().optional(),
  mail: z.looseObject({ messageId: z.string().min(1) }),
  bounce: z
    .looseObject({
      bounceType: z.string(),
      bounceSubType: z.string().optional(),
      bouncedRecipients: z.array(recipient),
      timestamp: z.string().optional(),
    })
    .optional(),
  complaint: z
    .looseObject({
      complainedRecipients: z.array(recipient),
      complaintFeedbackType: z.string().optional(),
      complaintSubType: z.string().nullable().optional(),
      timestamp: z.string().optional(),
    })
    .optional(),
  delivery: z.looseObject({ recipients: z.array(z.string()) }).optional(),
});

type SesEvent = z.infer<typeof sesEvent>;

/**
 * Bounce subtypes that fault the message (its size, its content), not the address: they
 * neither suppress nor count against it.
 */
const MESSAGE_FAULTS = new Set(['MessageTooLarge', 'ContentRejected', 'AttachmentRejected']);

/**
 * Applies an SES event (the JSON SES publishes: `eventType` Bounce, Complaint, Delivery…)
 * to the list:
 * - a permanent bounce suppresses the address at once;
 * - a transient or undetermined bounce is counted per message, and the address is
 *   suppressed when `transientBounceLimit` messages have bounced since its last delivery;
 * - a delivery starts that count again;
 * - a complaint suppresses the address at once (a `not-spam` report is not a complaint);
 * - Send, Reject (a virus in the message) and the rest change nothing here.
 * Every suppression keeps its reason, and a keyed hash of the address so that it holds
 * after the subscriber is forgotten. Applying an event twice changes nothing more.
 *
 * For a test message (`isTestMessage`) only a permanent bounce and a complaint count: they
 * suppress the address as above. Its transient bounces and deliveries change nothing, so a
 * test can neither bring an address nearer to suppression nor clear its count. Nothing here
 * touches an issue or its send ledger, for a test message or any other.
 */
export async function applyDeliveryEvent(
  event: unknown,
  deps: DeliveryEventDeps,
): Promise<DeliveryEventOutcome> {
  const parsed = sesEvent.safeParse(event);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DeliveryEventError(
      `not an SES event: ${issue?.path.join('.') || 'event'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const data = parsed.data;
  const eventType = data.eventType ?? data.notificationType ?? '';
  const test = isTestMessage(data);
  const outcome: DeliveryEventOutcome = {
    eventType,
    messageId: data.mail.messageId,
    ...(test ? { test } : {}),
    recipients: [],
  };
  const at = deps.now().toISOString();
  if (eventType === 'Bounce' && data.bounce) {
    const counted = !test || data.bounce.bounceType === 'Permanent';
    for (const { emailAddress } of data.bounce.bouncedRecipients) {
      const email = plainAddress(emailAddress);
      outcome.recipients.push(
        counted
          ? await applyBounce(deps, data, email, at)
          : { address: addressHash(deps.hashKey, email), action: 'none' },
      );
    }
  } else if (eventType === 'Complaint' && data.complaint) {
    const { complaintFeedbackType, complaintSubType } = data.complaint;
    for (const { emailAddress } of data.complaint.complainedRecipients) {
      const email = plainAddress(emailAddress);
      if (complaintFeedbackType === 'not-spam') {
        outcome.recipients.push({ address: addressHash(deps.hashKey, email), action: 'none' });
        continue;
      }
      const detail = complaintFeedbackType ?? complaintSubType ?? 'complaint';
      outcome.recipients.push(await suppress(deps, email, { reason: 'complaint', detail, at }));
    }
  } else if (eventType === 'Delivery' && data.delivery && !test) {
    for (const address of data.delivery.recipients) {
      outcome.recipients.push(await applyDelivery(deps, plainAddress(address)));
    }
  }
  return outcome;
}

async function applyBounce(deps: DeliveryEventDeps, event: SesEvent, email: string, at: string) {
  const bounce = event.bounce as NonNullable<SesEvent['bounce']>;
  const kind = `${bounce.bounceType}/${bounce.bounceSubType ?? 'General'}`;
  const address = addressHash(deps.hashKey, email);
  if (bounce.bounceType === 'Permanent') {
    return suppress(deps, email, { reason: 'bounce', detail: kind, at });
  }
  const subscriber = await deps.subscribers.findByEmail(email);
  if (!subscriber || MESSAGE_FAULTS.has(bounce.bounceSubType ?? '')) {
    return { address, ...idOf(subscriber), action: 'none' as const };
  }
  if (subscriber.status === 'suppressed') {
    return { address, subscriberId: subscriber.id, action: 'none' as const };
  }
  const count = await deps.subscribers.addTransientBounce(subscriber.id, event.mail.messageId);
  if (count >= deps.transientBounceLimit) {
    const detail = `${count} transient bounces, the last ${kind}`;
    return suppress(deps, email, { reason: 'bounce', detail, at }, subscriber);
  }
  return {
    address,
    subscriberId: subscriber.id,
    action: 'counted' as const,
    transientBounces: count,
  };
}

async function applyDelivery(deps: DeliveryEventDeps, email: string) {
  const address = addressHash(deps.hashKey, email);
  const subscriber = await deps.subscribers.findByEmail(email);
  if (!subscriber?.transientBounces?.length || subscriber.status === 'suppressed') {
    return { address, ...idOf(subscriber), action: 'none' as const };
  }
  await deps.subscribers.update(
    subscriber.id,
    { transientBounces: undefined },
    { status: ['active', 'pending', 'unsubscribed'] },
  );
  return { address, subscriberId: subscriber.id, action: 'reset' as const };
}

async function suppress(
  deps: DeliveryEventDeps,
  email: string,
  suppression: Suppression,
  subscriber?: Subscriber,
) {
  const changed = await suppressAddress(deps, email, suppression, subscriber);
  return {
    address: addressHash(deps.hashKey, email),
    ...idOf(changed),
    action: 'suppressed' as const,
  };
}

function idOf(subscriber: Subscriber | undefined): { subscriberId?: string } {
  return subscriber ? { subscriberId: subscriber.id } : {};
}

/** The address alone, should a report give `Name <address>`. */
function plainAddress(value: string): string {
  const angled = /<([^<>]+)>\s*$/.exec(value);
  return (angled?.[1] ?? value).trim();
}
