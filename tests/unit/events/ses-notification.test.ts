import { describe, expect, it } from 'vitest';
import { applySendEvents } from '#core/events/apply-send-events.ts';
import {
  readSesNotification,
  SesNotificationError,
  sendEventOf,
} from '#core/events/ses-notification.ts';
import { MemorySendLedger } from '../fakes/memory-stores.ts';

const ISSUE = '01JISSUE000000000000000000';

/** SNS's envelope around an SES event, as SQS delivers it with raw delivery off. */
function envelope(message: unknown) {
  return JSON.stringify({
    Type: 'Notification',
    MessageId: 'sns-1',
    TopicArn: 'arn:aws:sns:us-east-1:000000000000:newsletter-ses-events',
    Message: typeof message === 'string' ? message : JSON.stringify(message),
    Timestamp: '2026-11-27T08:00:00.000Z',
  });
}

const sendEvent = {
  eventType: 'Send',
  mail: {
    messageId: 'ses-message-1',
    timestamp: '2026-11-27T08:00:00.000Z',
    destination: ['reader@example.com'],
    tags: {
      'ses:configuration-set': ['newsletter-events'],
      issueId: [ISSUE],
      subscriberId: ['01JSUB00000000000000000001'],
      claim: ['01JCLAIM000000000000000001'],
    },
  },
  send: {},
};

describe('readSesNotification', () => {
  it('reads the SES event inside SNS’s envelope', () => {
    const notification = readSesNotification(envelope(sendEvent));

    expect(notification).toMatchObject({ kind: 'event', eventType: 'Send' });
  });

  it('passes over SES’s plain-text confirmation of a new event destination', () => {
    const notification = readSesNotification(
      envelope('Successfully validated SNS topic for Amazon SES event publishing.'),
    );

    expect(notification.kind).toBe('other');
  });

  it('refuses a message that is no SNS envelope', () => {
    expect(() => readSesNotification('{"eventType":"Send"}')).toThrow(SesNotificationError);
    expect(() => readSesNotification('not json')).toThrow(SesNotificationError);
  });
});

describe('sendEventOf', () => {
  it('reads the issue, subscriber and claim from the message tags', () => {
    expect(sendEventOf(sendEvent)).toEqual({
      issueId: ISSUE,
      subscriberId: '01JSUB00000000000000000001',
      claim: '01JCLAIM000000000000000001',
      messageId: 'ses-message-1',
    });
  });

  it('ignores a message the issue sender did not send', () => {
    const other = {
      ...sendEvent,
      mail: { ...sendEvent.mail, tags: { 'ses:configuration-set': ['x'] } },
    };

    expect(sendEventOf(other)).toBeUndefined();
  });
});

describe('applySendEvents', () => {
  it('resolves an unknown or claimed send as sent, and leaves final records alone', async () => {
    const ledger = new MemorySendLedger();
    const statuses = ['unknown', 'claimed', 'sent', 'failed'] as const;
    for (const [index, status] of statuses.entries()) {
      ledger.items.set(`${ISSUE}/s${index}`, {
        issueId: ISSUE,
        subscriberId: `s${index}`,
        status,
        messageId: status === 'sent' ? 'earlier' : undefined,
        updatedAt: 'then',
      });
    }
    const events = statuses.map((_, index) => ({
      issueId: ISSUE,
      subscriberId: `s${index}`,
      messageId: `event-${index}`,
    }));

    const resolved = await applySendEvents(ledger, [...events, ...events], 'now');

    expect(resolved).toBe(2);
    expect((await ledger.list(ISSUE)).map((r) => [r.status, r.messageId])).toEqual([
      ['sent', 'event-0'],
      ['sent', 'event-1'],
      ['sent', 'earlier'],
      ['failed', undefined],
    ]);
  });
});
