import { randomUUID } from 'node:crypto';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { faultDraw } from './fault-draw.ts';

/**
 * A Lambda handler for SQS events, as the local runtime invokes it: it may answer with an
 * `SQSBatchResponse`, or with nothing when every message succeeded.
 */
export type SqsHandler = (event: SQSEvent, context: Context) => Promise<unknown>;

export interface EventSourcePollerOptions {
  /** A client for the queue's SQS endpoint. */
  client: SQSClient;
  queueUrl: string;
  /** The queue's ARN, for `eventSourceARN` in each record. */
  queueArn: string;
  /** The function's name, for the handler's context. */
  functionName: string;
  /**
   * Makes the handler of one slot: each slot stands for one Lambda container, with the state
   * that the handler keeps between invocations. Called when the slot first gets messages.
   */
  createHandler(): SqsHandler | Promise<SqsHandler>;
  /** Invocations at once (Lambda's maximum concurrency on the event source). */
  concurrency: number;
  /** Messages per invocation, 1 to 10. */
  batchSize: number;
  /**
   * Seconds a received message stays invisible to other receivers; a message not deleted by
   * then (its invocation failed, or listed it as a batch item failure) is delivered again,
   * unless the handler changed its visibility. The handler's `getRemainingTimeInMillis` counts
   * down to it.
   */
  visibilityTimeoutSeconds: number;
  /** Long polling per receive, in seconds. Default: 1. */
  waitTimeSeconds?: number;
  /**
   * Received messages made visible again at once, so that another slot receives them while
   * the first still works on them: SQS's at-least-once delivery, on purpose, for tests.
   * Which ones is decided by `seed` and each delivery (see `isDuplicated`). Default: none.
   */
  duplicates?: DuplicateDeliveries;
  /** Told of invocations that threw and of SQS calls that failed. */
  onError?(error: unknown): void;
}

/** A share of deliveries to make twice, and the seed that decides which. */
export interface DuplicateDeliveries {
  /** From 0 (none) to 1 (every delivery). */
  share: number;
  seed: string;
}

/**
 * Whether a delivery of a message is made twice: fixed by the seed, the message's body and
 * how many times it was received (`ApproximateReceiveCount`), so the same seed duplicates the
 * same deliveries whatever the order in which the slots receive them.
 */
export function isDuplicated(
  duplicates: DuplicateDeliveries,
  delivery: { body: string; receiveCount: number },
): boolean {
  if (duplicates.share <= 0) return false;
  const draw = faultDraw(duplicates.seed, 'sqs-duplicate', delivery.body, delivery.receiveCount);
  return draw < duplicates.share;
}

/** A running poller. */
export interface EventSourcePoller {
  /** Invocations running now. */
  readonly running: number;
  /** Stops receiving, then waits for the running invocations to end. */
  stop(): Promise<void>;
}

/**
 * Lambda's SQS event source, locally: `concurrency` slots each receive up to `batchSize`
 * messages from the queue (long polling), invoke their handler with an SQS-shaped event and
 * delete what succeeded. A message the handler lists in `batchItemFailures` (or every
 * message, when the invocation throws or names a message that was not in the batch) is left
 * alone: SQS delivers it again after the visibility timeout, and moves it to the queue's
 * dead-letter queue once it was received `maxReceiveCount` times (the queue's redrive
 * policy, applied by SQS itself). Each record carries the receipt handle SQS gave, so a
 * handler that changes a message's visibility (`ChangeMessageVisibility`, as the send-batch
 * handler does for a page that comes back) changes it in the local queue, as on Lambda.
 */
export function startEventSourcePoller(options: EventSourcePollerOptions): EventSourcePoller {
  const abort = new AbortController();
  let running = 0;
  const report = options.onError ?? (() => {});

  const slot = async () => {
    let handler: Promise<SqsHandler> | undefined;
    while (!abort.signal.aborted) {
      let messages: Message[];
      try {
        const received = await options.client.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: options.batchSize,
            WaitTimeSeconds: options.waitTimeSeconds ?? 1,
            VisibilityTimeout: options.visibilityTimeoutSeconds,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
          { abortSignal: abort.signal },
        );
        messages = received.Messages ?? [];
      } catch (error) {
        if (abort.signal.aborted) break;
        report(error);
        await delay(500);
        continue;
      }
      if (messages.length === 0) continue;
      running++;
      try {
        await duplicate(options, messages);
        handler ??= Promise.resolve(options.createHandler());
        await invoke(options, await handler, messages);
      } catch (error) {
        report(error);
      } finally {
        running--;
      }
    }
  };

  const slots = Array.from({ length: Math.max(1, options.concurrency) }, slot);
  return {
    get running() {
      return running;
    },
    async stop() {
      abort.abort();
      await Promise.all(slots);
    },
  };
}

async function invoke(options: EventSourcePollerOptions, handler: SqsHandler, messages: Message[]) {
  const deadline = Date.now() + options.visibilityTimeoutSeconds * 1000;
  const event: SQSEvent = { Records: messages.map((message) => recordOf(options, message)) };
  let failed: Set<string>;
  try {
    const result = (await handler(event, contextOf(options, deadline))) as
      | Partial<SQSBatchResponse>
      | undefined;
    const ids = new Set(messages.map((message) => message.MessageId));
    const listed = (result?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier);
    // As Lambda does: a failure naming no message of the batch fails the whole batch.
    failed = listed.every((id) => ids.has(id))
      ? new Set(listed)
      : new Set(messages.map((message) => message.MessageId ?? ''));
  } catch (error) {
    options.onError?.(error);
    failed = new Set(messages.map((message) => message.MessageId ?? ''));
  }
  const done = messages.filter((message) => !failed.has(message.MessageId ?? ''));
  if (done.length === 0) return;
  await options.client.send(
    new DeleteMessageBatchCommand({
      QueueUrl: options.queueUrl,
      Entries: done.map((message, index) => ({
        Id: String(index),
        ReceiptHandle: message.ReceiptHandle,
      })),
    }),
  );
}

/** Makes some messages visible again at once, so that another slot receives them too. */
async function duplicate(options: EventSourcePollerOptions, messages: Message[]) {
  const { duplicates } = options;
  if (!duplicates) return;
  for (const message of messages) {
    const delivery = {
      body: message.Body ?? '',
      receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? '1'),
    };
    if (!isDuplicated(duplicates, delivery)) continue;
    await options.client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: options.queueUrl,
        ReceiptHandle: message.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
  }
}

function recordOf(options: EventSourcePollerOptions, message: Message): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp:
        attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
        name,
        {
          dataType: value.DataType ?? 'String',
          ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
        },
      ]),
    ),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: options.queueArn,
    awsRegion: options.queueArn.split(':')[3] ?? 'us-east-1',
  };
}

function contextOf(options: EventSourcePollerOptions, deadline: number): Context {
  const unsupported = () => {
    throw new Error('the local runtime supports async handlers only');
  };
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: options.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${options.functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${options.functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
