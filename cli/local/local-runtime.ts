import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { queues, resourceFromEnv, topics } from '#adapters/resources.ts';
import { queueIsEmpty } from '#adapters/sqs-send-queue.ts';
import type { Config } from '#core/common/config.ts';
import type { LogLine } from '#core/common/log-line.ts';
import {
  type EventSourcePoller,
  type SqsHandler,
  startEventSourcePoller,
} from './event-source-poller.ts';
import { FAULTS_SEED_ENV, localFaultsSeed } from './fault-draw.ts';
import type { SesCaptureProxy } from './ses-capture-proxy.ts';
import { SES_FAULTS_ENV } from './ses-faults.ts';

/** What the local runtime invokes: a handler per slot, as Lambda makes one per container. */
export interface LocalHandlers {
  sendBatch(log: LogLine): Promise<SqsHandler>;
  sesEvents(log: LogLine): Promise<SqsHandler>;
}

/**
 * The variable that makes the local send queue deliver a share (0 to 1) of its messages twice;
 * which ones is decided by `NEWSLETTER_LOCAL_FAULTS_SEED` (see `isDuplicated`).
 */
export const SQS_DUPLICATES_ENV = 'NEWSLETTER_LOCAL_SQS_DUPLICATES';

/** Seconds a page stays invisible once received; the send-batch handler's time budget. */
const SEND_VISIBILITY_SECONDS = 20;
const EVENTS_VISIBILITY_SECONDS = 20;
/** The ses-events function's concurrency and batch size, locally. */
const EVENTS_CONCURRENCY = 2;
const EVENTS_BATCH_SIZE = 10;
/** Most milliseconds a clean stop waits for the SES events to be applied. */
const DRAIN_MS = 5_000;

/** A running local runtime. */
export interface LocalRuntime {
  /**
   * Stops sending, lets the SES events already published be applied (a few seconds at
   * most), records that they were (so the next start need not publish them again) and
   * stops.
   */
  stop(): Promise<void>;
}

/**
 * The local stand-in for Lambda's triggers, run by the process that owns the local services:
 * the local SES publishes its events to the SES events topic (first again those a crash may
 * have lost), and pollers invoke the send-batch handler for the send queue (one slot per
 * `sendConcurrency`) and the ses-events handler for the SES events queue, honouring batch
 * item failures, visibility timeouts and the queues' redrive policies.
 * @param env the local services' variables and the resources' names (`provisionLocal`)
 */
export async function startLocalRuntime(options: {
  stateDir: string;
  config: Config;
  env: Record<string, string>;
  ses: SesCaptureProxy;
  handlers: LocalHandlers;
}): Promise<LocalRuntime> {
  const { env, config } = options;
  const credentials = {
    accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
  };
  const sqs = new SQSClient({
    region: env.AWS_REGION,
    credentials,
    endpoint: env.AWS_ENDPOINT_URL_SQS,
  });
  const sns = new SNSClient({
    region: env.AWS_REGION,
    credentials,
    endpoint: env.AWS_ENDPOINT_URL_SNS,
  });
  const topicArn = resourceFromEnv(topics.sesEvents, env);
  await options.ses.publishEventsTo(async (message) => {
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: message }));
  });

  const log = openHandlersLog(options.stateDir);
  const logLine = log.line;
  const onError = (error: unknown) => logLine({ message: 'local runtime', error: String(error) });
  const duplicates = { share: duplicateShare(), seed: localFaultsSeed() };
  if (duplicates.share > 0 || process.env[SES_FAULTS_ENV]) {
    // Without it, a run that went wrong under faults could not be replayed.
    logLine({
      message: 'local faults',
      [FAULTS_SEED_ENV]: duplicates.seed,
      [SES_FAULTS_ENV]: process.env[SES_FAULTS_ENV] ?? '',
      [SQS_DUPLICATES_ENV]: duplicates.share,
    });
  }
  const sendQueueUrl = resourceFromEnv(queues.send, env);
  const eventsQueueUrl = resourceFromEnv(queues.sesEvents, env);
  const sendPoller = startEventSourcePoller({
    client: sqs,
    queueUrl: sendQueueUrl,
    queueArn: await queueArn(sqs, sendQueueUrl),
    functionName: 'send-batch',
    createHandler: () => options.handlers.sendBatch(logLine),
    concurrency: config.sendConcurrency,
    batchSize: 1,
    visibilityTimeoutSeconds: SEND_VISIBILITY_SECONDS,
    duplicates,
    onError,
  });
  const eventsPoller = startEventSourcePoller({
    client: sqs,
    queueUrl: eventsQueueUrl,
    queueArn: await queueArn(sqs, eventsQueueUrl),
    functionName: 'ses-events',
    createHandler: () => options.handlers.sesEvents(logLine),
    concurrency: EVENTS_CONCURRENCY,
    batchSize: EVENTS_BATCH_SIZE,
    visibilityTimeoutSeconds: EVENTS_VISIBILITY_SECONDS,
    onError,
  });

  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= (async () => {
        try {
          await sendPoller.stop();
          if (await drained(sqs, eventsQueueUrl, eventsPoller))
            await options.ses.checkpointEvents();
          await eventsPoller.stop();
        } finally {
          sqs.destroy();
          sns.destroy();
          await log.close();
        }
      })();
      return stopping;
    },
  };
}

/**
 * `handlers.log` in the state folder, where the local invocations of handlers write: one JSON
 * object a line, with the time first. Shared by the local runtime and serve's scheduler.
 */
export function openHandlersLog(stateDir: string): { line: LogLine; close(): Promise<void> } {
  const stream = createWriteStream(path.join(stateDir, 'handlers.log'), { flags: 'a' });
  return {
    line: (line) => {
      stream.write(`${JSON.stringify({ at: new Date().toISOString(), ...line })}\n`);
    },
    close: () => new Promise((resolve) => stream.end(resolve)),
  };
}

/** Waits until the SES events queue is empty and no invocation runs; false on timeout. */
async function drained(client: SQSClient, queueUrl: string, poller: EventSourcePoller) {
  const until = Date.now() + DRAIN_MS;
  while (Date.now() < until) {
    if ((await queueIsEmpty(client, queueUrl)) && poller.running === 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

async function queueArn(client: SQSClient, queueUrl: string): Promise<string> {
  const result = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  return result.Attributes?.QueueArn ?? '';
}

function duplicateShare(): number {
  const value = process.env[SQS_DUPLICATES_ENV];
  if (value === undefined || value === '') return 0;
  const share = Number(value);
  if (!Number.isFinite(share) || share < 0 || share > 1) {
    throw new Error(`${SQS_DUPLICATES_ENV}: must be a share from 0 to 1, got "${value}"`);
  }
  return share;
}
