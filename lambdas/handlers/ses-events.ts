import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { dynamoDb } from '../adapters/aws-clients.ts';
import { configFromEnv } from '../adapters/config-from-env.ts';
import { DynamoDbIssueStore } from '../adapters/dynamodb-issue-store.ts';
import { DynamoDbSendLedger } from '../adapters/dynamodb-send-ledger.ts';
import { powertoolsLog } from '../adapters/powertools-log.ts';
import { powertoolsSendMetrics } from '../adapters/powertools-send-metrics.ts';
import { secretsManagerHashKey } from '../adapters/secrets-manager-token-key.ts';
import { subscriptionStores } from '../adapters/subscription-stores.ts';
import { tableName, tables } from '../adapters/tables.ts';
import { withLambdaContext } from '../adapters/with-lambda-context.ts';
import type { Config } from '../core/common/config.ts';
import type { LogLine } from '../core/common/log-line.ts';
import { withoutAddresses } from '../core/common/without-addresses.ts';
import {
  applyDeliveryEvent,
  type DeliveryEventDeps,
  DeliveryEventError,
} from '../core/events/apply-delivery-event.ts';
import { applySendEvents } from '../core/events/apply-send-events.ts';
import { countRecipientEvent } from '../core/events/count-recipient-event.ts';
import {
  readSesNotification,
  type SendEvent,
  SesNotificationError,
  sendEventOf,
} from '../core/events/ses-notification.ts';
import { checkSendRates } from '../core/issues/check-send-rates.ts';
import { pausedItself } from '../core/issues/pause-metrics.ts';
import type { SendLedger } from '../core/sending/ports.ts';
import { eventSendMetrics, type SendMetrics } from '../core/sending/send-metrics.ts';

/** What the ses-events handler works with. */
export interface SesEventsContainer {
  ledger: Pick<SendLedger, 'getMany' | 'update' | 'recordEvent'>;
  /** Applies Delivery, Bounce, Complaint and Reject events (subscribers, suppressions). */
  applyDeliveryEvent(event: Record<string, unknown>): Promise<unknown>;
  /** Whether `Open` and `Click` events count (`trackEngagement`); absent: they do not. */
  trackEngagement?: boolean;
  /**
   * Judges an issue's bounce and complaint rates, pausing it when one passed its threshold
   * (`checkSendRates`): the reason when this call paused it.
   */
  checkRates(issueId: string): Promise<string | undefined>;
  now(): Date;
  log: LogLine;
  /** Where each bounce and complaint counted goes, and an issue that paused itself. */
  metrics?: SendMetrics;
}

/**
 * The ses-events handler (SES → SNS → SQS → Lambda): each message is SNS's envelope of an SES
 * event. `Send` events settle the send ledger (a message whose outcome was unknown was
 * sent); every other event type goes to `applyDeliveryEvent`, and is then counted for the
 * issue whose message it is about (`countRecipientEvent`: delivered, bounced, complained,
 * rejected, delayed, and with `trackEngagement` opened and clicked; each recipient once,
 * however often SQS delivers the event). A permanent bounce or a complaint counted for an
 * issue has its rates judged once the batch is in (`checkSendRates`): an issue whose rate
 * passed its threshold pauses itself, and the log line says so for the alarm to count.
 * A message that is not an SNS
 * envelope is a batch item failure, so it ends in the DLQ for someone to look at (and, being
 * possibly a `Send` event, keeps unknown sends from being sent again meanwhile). Events of a
 * test send's messages (tagged `purpose=test`) never reach the ledger or an issue: their
 * `Send` events are ignored (`sendEventOf`), none is counted, and of the rest only a
 * permanent bounce or a complaint changes anything, suppressing the address
 * (`applyDeliveryEvent`).
 */
export function createSesEventsHandler(container: () => Promise<SesEventsContainer>) {
  let ready: Promise<SesEventsContainer> | undefined;
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    ready ??= container().catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    const deps = await ready;
    const response: SQSBatchResponse = { batchItemFailures: [] };
    const sends: { messageId: string; send: SendEvent }[] = [];
    // Issues that got a new bounce or complaint: their rates are judged once the batch is in.
    const judge = new Set<string>();
    for (const record of event.Records) {
      try {
        const notification = readSesNotification(record.body);
        if (notification.kind === 'other') {
          deps.log({ message: 'not an SES event, ignored', what: notification.what });
          continue;
        }
        if (notification.eventType === 'Send') {
          const send = sendEventOf(notification.event);
          if (send) sends.push({ messageId: record.messageId, send });
          continue;
        }
        const outcome = await deps.applyDeliveryEvent(notification.event);
        // Counted once suppressions are done: a count that fails retries the message, and
        // applying it again changes nothing more.
        const counted = await countRecipientEvent(deps.ledger, notification.event, {
          trackEngagement: deps.trackEngagement ?? false,
          now: deps.now(),
        });
        deps.log({ message: 'event applied', eventType: notification.eventType, outcome, counted });
        if (counted.count === 'counted') {
          const counts = eventSendMetrics(counted.type);
          if (counts) deps.metrics?.record(counted.issueId, counts);
          if (RATE_EVENTS.has(counted.type)) judge.add(counted.issueId);
        }
      } catch (error) {
        if (error instanceof DeliveryEventError) {
          // Retrying cannot help, and it is no Send event: leave it in the log.
          deps.log({ message: 'event ignored', error: withoutAddresses(error.message) });
          continue;
        }
        deps.log({
          message: 'event failed',
          messageId: record.messageId,
          error:
            error instanceof SesNotificationError ? error.message : withoutAddresses(String(error)),
        });
        response.batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    if (sends.length > 0) {
      try {
        const resolved = await applySendEvents(
          deps.ledger,
          sends.map((entry) => entry.send),
          deps.now().toISOString(),
        );
        if (resolved > 0) deps.log({ message: 'unknown sends resolved as sent', resolved });
      } catch (error) {
        deps.log({ message: 'send events failed', error: withoutAddresses(String(error)) });
        for (const entry of sends) {
          response.batchItemFailures.push({ itemIdentifier: entry.messageId });
        }
      }
    }
    for (const issueId of judge) {
      // The senders judge the rates after every page as well: a failure here loses nothing.
      try {
        const paused = await deps.checkRates(issueId);
        if (paused) {
          deps.log(pausedItself(issueId, paused));
          deps.metrics?.record(issueId, { paused: 1 });
        }
      } catch (error) {
        deps.log({ message: 'rates not judged', issueId, error: withoutAddresses(String(error)) });
      }
    }
    return response;
  };
}

/** The events that move an issue's bounce or complaint rate. */
const RATE_EVENTS: ReadonlySet<string> = new Set(['bouncedPermanent', 'complained']);

/**
 * One container's ledger and delivery-event deps, built from the function's environment (the
 * standard AWS variables and the tables' names): the same on Lambda and locally.
 * @param hashKey the key of the suppressions' address hashes (never rotates)
 */
export function sesEventsContainer(options: {
  config: Config;
  hashKey: Uint8Array;
  log: LogLine;
  metrics?: SendMetrics;
}): SesEventsContainer {
  const { subscribers, suppressions } = subscriptionStores();
  const now = () => new Date();
  const delivery: DeliveryEventDeps = {
    subscribers,
    suppressions,
    hashKey: options.hashKey,
    transientBounceLimit: options.config.transientBounceLimit,
    now,
  };
  const ledger = new DynamoDbSendLedger(dynamoDb(), tableName(tables.sends));
  const issues = new DynamoDbIssueStore(dynamoDb(), tableName(tables.issues));
  return {
    ledger,
    applyDeliveryEvent: (event) => applyDeliveryEvent(event, delivery),
    trackEngagement: options.config.trackEngagement,
    checkRates: (issueId) =>
      checkSendRates({ config: options.config, issues, ledger, now }, issueId),
    now,
    log: options.log,
    metrics: options.metrics,
  };
}

/** The function's Powertools log and metrics: service and namespace from its environment. */
const logger = new Logger();
const metrics = new Metrics();

/** Stores from the function's environment, the key from Secrets Manager. */
const sesEvents = createSesEventsHandler(async () =>
  sesEventsContainer({
    config: configFromEnv(),
    hashKey: await secretsManagerHashKey(),
    log: powertoolsLog(logger),
    metrics: powertoolsSendMetrics(metrics),
  }),
);

/** The Lambda entry point: each invocation's lines carry its request id. */
export const handler = withLambdaContext(logger, sesEvents);
