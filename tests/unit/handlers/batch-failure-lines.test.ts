import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it } from 'vitest';
import { powertoolsLog } from '#adapters/powertools-log.ts';
import type { SendPage } from '#core/sending/ports.ts';
import { createSendBatchHandler, type SendBatchContainer } from '#handlers/send-batch.ts';
import { createSesEventsHandler, type SesEventsContainer } from '#handlers/ses-events.ts';
import { SEND_PAGE_FAILED, SES_EVENT_FAILED } from '../../../infra/log-metrics.ts';
import { powertoolsOutput } from '../support/powertools-output.ts';
import { sqsEvent } from './sqs-event.ts';

// The alarms on batch item failures count the handlers' log lines by their words (a metric
// filter of terms): on Lambda each line goes through Powertools' Logger, whose JSON object is
// the log event, where a term matches the words as written.

const ISSUE = '01JISSUE000000000000000001';

/** The log event of a line on Lambda: what the functions' Powertools log writes for it. */
const logEvent = (line: Record<string, unknown>) =>
  powertoolsOutput(() => powertoolsLog(new Logger({ serviceName: 'newsletter' }))(line)).text;

/** Whether a filter of these terms (any of them) counts the log event. */
const counts = (terms: readonly string[], event: string) =>
  terms.some((term) => event.includes(term));

describe('the sender’s log, as the SendPageFailed filter counts it', () => {
  /** A handler whose sender fails the pages for `failing`, and sends the others. */
  function sender(lines: Record<string, unknown>[]) {
    const container = {
      sender: {
        sendPage: async (page: SendPage) => {
          if (page.subscriberIds.includes('failing')) throw new Error('DynamoDB is unreachable');
          const none = { sent: 0, failed: 0, suppressed: 0, done: 0, retry: 0, later: 0 };
          return { retry: false, counts: { ...none, sent: 1 }, errors: [] };
        },
      },
      checkRates: async () => undefined,
      log: (line: Record<string, unknown>) => lines.push(line),
    };
    // Only what a page that fails or goes out touches.
    return createSendBatchHandler(async () => container as unknown as SendBatchContainer);
  }

  it('counts each message that failed, once, and no page that went out', async () => {
    const lines: Record<string, unknown>[] = [];
    const pages = [['failing'], ['a'], ['failing']].map((ids) =>
      JSON.stringify({ issueId: ISSUE, subscriberIds: ids }),
    );

    const response = await sender(lines)(sqsEvent(pages));

    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: 'm1' },
      { itemIdentifier: 'm3' },
    ]);
    expect(lines.map((line) => counts(SEND_PAGE_FAILED.terms, logEvent(line)))).toEqual([
      true,
      false,
      true,
    ]);
  });
});

describe('the events handler’s log, as the SesEventFailed filter counts it', () => {
  const envelope = (event: unknown) =>
    JSON.stringify({ Type: 'Notification', Message: JSON.stringify(event) });
  const send = {
    eventType: 'Send',
    mail: { messageId: 'ses-1', tags: { issueId: [ISSUE], subscriberId: ['s1'], claim: ['c1'] } },
  };

  it('counts an event that failed, and a batch whose Send events could not be applied', async () => {
    const lines: Record<string, unknown>[] = [];
    const container = {
      ledger: {
        getMany: async () => {
          throw new Error('DynamoDB is unreachable');
        },
      },
      log: (line: Record<string, unknown>) => lines.push(line),
    };
    const handler = createSesEventsHandler(async () => container as unknown as SesEventsContainer);

    const response = await handler(sqsEvent(['not an SNS envelope', envelope(send)]));

    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: 'm1' },
      { itemIdentifier: 'm2' },
    ]);
    expect(
      lines.map((line) => [line.message, counts(SES_EVENT_FAILED.terms, logEvent(line))]),
    ).toEqual([
      ['event failed', true],
      ['send events failed', true],
    ]);
  });

  it('counts no event that was applied', async () => {
    const lines: Record<string, unknown>[] = [];
    const container = {
      applyDeliveryEvent: async () => 'delivered',
      ledger: { recordEvent: async () => false },
      now: () => new Date('2026-11-27T08:00:00Z'),
      log: (line: Record<string, unknown>) => lines.push(line),
    };
    const handler = createSesEventsHandler(async () => container as unknown as SesEventsContainer);
    const delivery = { eventType: 'Delivery', mail: { messageId: 'ses-2' }, delivery: {} };

    const response = await handler(sqsEvent([envelope(delivery)]));

    expect(response.batchItemFailures).toEqual([]);
    expect(lines.map((line) => counts(SES_EVENT_FAILED.terms, logEvent(line)))).toEqual([false]);
  });
});
