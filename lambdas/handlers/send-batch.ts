import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { ulid } from 'ulid';
import { sqs } from '../adapters/aws-clients.ts';
import { configFromEnv } from '../adapters/config-from-env.ts';
import { powertoolsLog } from '../adapters/powertools-log.ts';
import { powertoolsSendMetrics } from '../adapters/powertools-send-metrics.ts';
import { queues, resourceFromEnv } from '../adapters/resources.ts';
import { loadSecretsManagerLinkKeys } from '../adapters/secrets-manager-link-keys.ts';
import { sendingAdapters } from '../adapters/sending-adapters.ts';
import { SqsMessageVisibility } from '../adapters/sqs-message-visibility.ts';
import { withLambdaContext } from '../adapters/with-lambda-context.ts';
import type { Config } from '../core/common/config.ts';
import type { LogLine } from '../core/common/log-line.ts';
import { withoutAddresses } from '../core/common/without-addresses.ts';
import { checkSendRates } from '../core/issues/check-send-rates.ts';
import { finishCancel } from '../core/issues/finish-cancel.ts';
import type { MarkedRecords } from '../core/issues/mark-cancelled.ts';
import { pausedItself } from '../core/issues/pause-metrics.ts';
import { continuePreparing } from '../core/issues/prepare-issue.ts';
import { pageRetrySeconds } from '../core/sending/page-retry-seconds.ts';
import type {
  CancelStep,
  MessageVisibility,
  PrepareStep,
  SendPage,
  SendQueue,
  SendQueueMessage,
} from '../core/sending/ports.ts';
import { pageSendMetrics, type SendMetrics } from '../core/sending/send-metrics.ts';
import { Sender } from '../core/sending/sender.ts';
import type { LinkKeySource } from '../core/subscribers/link-keys.ts';

/** What one container of the send-batch function holds. */
export interface SendBatchContainer {
  sender: Sender;
  /** Where recipients to look at again later go. */
  queue: Pick<SendQueue, 'enqueue'>;
  /** Holds a page that comes back (a batch item failure) until its retry delay is over. */
  visibility: MessageVisibility;
  /** Carries on preparing an issue's ledger (`continuePreparing`); the recipients enqueued. */
  prepare(step: PrepareStep, deadline: number): Promise<number>;
  /** Marks a cancelled issue's unsent records `cancelled` (`finishCancel`). */
  finishCancel(step: CancelStep): Promise<MarkedRecords>;
  /**
   * Judges an issue's bounce and complaint rates, pausing it when one passed its threshold
   * (`checkSendRates`): the reason when this call paused it.
   */
  checkRates(issueId: string): Promise<string | undefined>;
  log: LogLine;
  /** Where each page's counts go, and an issue that paused itself; absent: nowhere. */
  metrics?: SendMetrics;
}

/**
 * Milliseconds kept back from the function's time (at most a third of it) for the recipients
 * under way to finish.
 */
const TIME_RESERVE_MS = 10_000;

/** A send-queue message that is not a page. */
export class SendPageError extends Error {
  override name = 'SendPageError';
}

/**
 * The send-batch handler (SQS → Lambda): each message is a page of an issue's recipients,
 * sent by the container's `Sender` (or a step that carries on preparing a large issue). Recipients to look at later (unknown outcomes, the rest
 * of a page that ran out of time) go back on the queue with a delay; a page that SES kept
 * refusing to take is reported as a batch item failure, its visibility first set to its retry
 * delay (`pageRetrySeconds`, from how often it was received), so SQS delivers it again after
 * seconds rather than the queue's whole visibility timeout (and to the DLQ after
 * `maxReceiveCount`).
 * @param container builds the container's state once, on the first invocation
 */
export function createSendBatchHandler(container: () => Promise<SendBatchContainer>) {
  let ready: Promise<SendBatchContainer> | undefined;
  return async (event: SQSEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>) => {
    ready ??= container().catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    const { sender, queue, visibility, prepare, finishCancel, checkRates, log, metrics } =
      await ready;
    const remaining = context?.getRemainingTimeInMillis() ?? Number.POSITIVE_INFINITY;
    const deadline = Date.now() + remaining - Math.min(TIME_RESERVE_MS, remaining / 3);
    const response: SQSBatchResponse = { batchItemFailures: [] };
    for (const record of event.Records) {
      try {
        const message = readMessage(record.body);
        if ('prepareFrom' in message) {
          const enqueued = await prepare(message, deadline);
          log({ message: 'issue prepared further', issueId: message.issueId, enqueued });
          continue;
        }
        if ('finishCancel' in message) {
          const { marked, mailed } = await finishCancel(message);
          log({ message: 'cancelled issue marked', issueId: message.issueId, marked, mailed });
          continue;
        }
        const page = message;
        const outcome = await sender.sendPage(page, deadline);
        // A page that comes back whole brings its `later` recipients with it.
        if (outcome.later && !outcome.retry) {
          await queue.enqueue(
            [{ issueId: page.issueId, subscriberIds: outcome.later.subscriberIds }],
            outcome.later.delaySeconds,
          );
        }
        let retrySeconds: number | undefined;
        if (outcome.retry) {
          retrySeconds = pageRetrySeconds(Number(record.attributes.ApproximateReceiveCount));
          await holdBack(visibility, record, retrySeconds, log);
          response.batchItemFailures.push({ itemIdentifier: record.messageId });
        }
        log({
          message: 'page sent',
          issueId: page.issueId,
          recipients: page.subscriberIds.length,
          ...outcome.counts,
          retry: outcome.retry,
          ...(retrySeconds !== undefined ? { retrySeconds } : {}),
          ...(outcome.later ? { laterSeconds: outcome.later.delaySeconds } : {}),
          ...(outcome.errors.length > 0 ? { errors: outcome.errors } : {}),
        });
        metrics?.record(page.issueId, pageSendMetrics(outcome.counts));
        if (outcome.counts.sent > 0) {
          const paused = await checkRates(page.issueId);
          if (paused) {
            log(pausedItself(page.issueId, paused));
            metrics?.record(page.issueId, { paused: 1 });
          }
        }
      } catch (error) {
        log({
          message: 'page failed',
          messageId: record.messageId,
          error: withoutAddresses(String(error)),
        });
        response.batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return response;
  };
}

/**
 * Keeps a page that comes back away for `seconds`. When SQS refuses, the page still comes
 * back, after what is left of the queue's visibility timeout: that is only logged.
 */
async function holdBack(
  visibility: MessageVisibility,
  record: SQSRecord,
  seconds: number,
  log: LogLine,
): Promise<void> {
  try {
    await visibility.changeVisibility(record.receiptHandle, seconds);
  } catch (error) {
    log({
      message: 'page retry delay not set',
      messageId: record.messageId,
      retrySeconds: seconds,
      error: withoutAddresses(String(error)),
    });
  }
}

/** A page, a preparation step or a cancel step, from a send-queue message body. */
export function readMessage(body: string): SendQueueMessage {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new SendPageError('the message is not JSON');
  }
  const message = value as Partial<SendPage & PrepareStep & CancelStep> | null;
  if (typeof message?.issueId === 'string' && typeof message.prepareFrom === 'string') {
    return { issueId: message.issueId, prepareFrom: message.prepareFrom };
  }
  if (typeof message?.issueId === 'string' && message.finishCancel === true) {
    return { issueId: message.issueId, finishCancel: true };
  }
  const ids = message?.subscriberIds;
  if (
    typeof message?.issueId !== 'string' ||
    !Array.isArray(ids) ||
    !ids.every((id): id is string => typeof id === 'string' && id !== '')
  ) {
    throw new SendPageError(
      'the message is neither a page { issueId, subscriberIds[] } nor a step',
    );
  }
  return { issueId: message.issueId, subscriberIds: ids };
}

/**
 * One container's sender, queue and preparer, built from the function's environment (the
 * standard AWS variables and the resources' names): the same on Lambda and locally.
 * @param unknownWindowSeconds how long an unknown outcome waits for SES's Send event
 */
export function sendBatchContainer(options: {
  config: Config;
  /** The keys that sign the unsubscribe links, read by the sender at each page. */
  linkKeys: LinkKeySource;
  unknownWindowSeconds: number;
  log: LogLine;
  metrics?: SendMetrics;
}): SendBatchContainer {
  const { config } = options;
  const adapters = sendingAdapters(config.configurationSet, process.env, options.log);
  const now = () => new Date();
  return {
    sender: new Sender({
      config,
      unknownWindowSeconds: options.unknownWindowSeconds,
      issues: adapters.issues,
      ledger: adapters.ledger,
      leases: adapters.leases,
      subscribers: adapters.subscriberPages,
      renderedIssues: adapters.renderedIssues,
      mailer: adapters.mailer,
      events: adapters.events,
      linkKeys: options.linkKeys,
      newId: () => ulid(),
      now,
    }),
    queue: adapters.queue,
    visibility: new SqsMessageVisibility(sqs(), resourceFromEnv(queues.send)),
    prepare: (step, deadline) =>
      continuePreparing(
        {
          config,
          subscriberPages: adapters.subscriberPages,
          ledger: adapters.ledger,
          issues: adapters.issues,
          queue: adapters.queue,
          now,
        },
        step,
        deadline,
      ),
    finishCancel: (step) =>
      finishCancel({ issues: adapters.issues, ledger: adapters.ledger, now }, step.issueId),
    checkRates: (issueId) =>
      checkSendRates({ config, issues: adapters.issues, ledger: adapters.ledger, now }, issueId),
    log: options.log,
    metrics: options.metrics,
  };
}

/** The function's Powertools log and metrics: service and namespace from its environment. */
const logger = new Logger();
const metrics = new Metrics();

/** One `Sender` per container, its key from Secrets Manager. */
const sendBatch = createSendBatchHandler(async () => {
  const config = configFromEnv();
  return sendBatchContainer({
    config,
    linkKeys: await loadSecretsManagerLinkKeys(),
    unknownWindowSeconds: config.sendUnknownWindowSeconds,
    log: powertoolsLog(logger),
    metrics: powertoolsSendMetrics(metrics),
  });
});

/** The Lambda entry point: each invocation's lines carry its request id. */
export const handler = withLambdaContext(logger, sendBatch);
