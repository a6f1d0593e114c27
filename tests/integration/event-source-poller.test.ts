import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqsMessageVisibility } from '#adapters/sqs-message-visibility.ts';
import { type EventSourcePoller, startEventSourcePoller } from '#cli/local/event-source-poller.ts';
import type { SendPage } from '#core/sending/ports.ts';
import type { PageOutcome, Sender } from '#core/sending/sender.ts';
import { createSendBatchHandler } from '#handlers/send-batch.ts';
import { startProvisionedAws } from './support/local-aws.ts';

let local: Awaited<ReturnType<typeof startProvisionedAws>>;
let sqs: SQSClient;
const pollers: EventSourcePoller[] = [];

beforeAll(async () => {
  local = await startProvisionedAws();
  sqs = new SQSClient({
    endpoint: local.env.AWS_ENDPOINT_URL_SQS,
    region: local.env.AWS_REGION,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
});
afterAll(async () => {
  await Promise.all(pollers.map((poller) => poller.stop()));
  sqs.destroy();
  await local.stop();
});

let queueCount = 0;

/** A fresh queue with a dead-letter queue after `maxReceiveCount` receives. */
async function queuePair(maxReceiveCount = 2) {
  const name = `poller-test-${++queueCount}`;
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
  const dlqArn = await arnOf(dlq.QueueUrl ?? '');
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }),
      },
    }),
  );
  const url = queue.QueueUrl ?? '';
  return { url, arn: await arnOf(url), dlqUrl: dlq.QueueUrl ?? '' };
}

async function arnOf(url: string) {
  const result = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  return result.Attributes?.QueueArn ?? '';
}

async function send(url: string, bodies: string[]) {
  await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: url,
      Entries: bodies.map((body, index) => ({ Id: String(index), MessageBody: body })),
    }),
  );
}

async function count(url: string) {
  const { Attributes: a = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return Number(a.ApproximateNumberOfMessages) + Number(a.ApproximateNumberOfMessagesNotVisible);
}

async function until(check: () => Promise<boolean> | boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A promise a test resolves when it chooses: `opened` waits for `open()`. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open: () => open() };
}

function poll(
  options: Omit<Parameters<typeof startEventSourcePoller>[0], 'client' | 'functionName'>,
) {
  const poller = startEventSourcePoller({ client: sqs, functionName: 'test', ...options });
  pollers.push(poller);
  return poller;
}

describe('startEventSourcePoller', () => {
  it('invokes the handler with SQS-shaped events and deletes the messages that succeeded', async () => {
    const { url, arn } = await queuePair();
    const events: SQSEvent[] = [];
    poll({
      queueUrl: url,
      queueArn: arn,
      createHandler: () => async (event) => {
        events.push(event);
      },
      concurrency: 1,
      batchSize: 10,
      visibilityTimeoutSeconds: 5,
    });

    await send(url, ['one', 'two', 'three']);
    await until(
      async () => events.flatMap((e) => e.Records).length === 3 && (await count(url)) === 0,
    );

    const record = events[0]?.Records[0];
    expect(record).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: arn,
      awsRegion: 'us-east-1',
    });
    expect(record?.attributes.ApproximateReceiveCount).toBe('1');
    expect(events.flatMap((e) => e.Records.map((r) => r.body)).sort()).toEqual([
      'one',
      'three',
      'two',
    ]);
  });

  it('delivers a batch item failure again after the visibility timeout, then to the dead-letter queue', async () => {
    const { url, arn, dlqUrl } = await queuePair(2);
    const receives: string[] = [];
    poll({
      queueUrl: url,
      queueArn: arn,
      createHandler: () => async (event) => {
        receives.push(
          ...event.Records.map((r) => `${r.body}#${r.attributes.ApproximateReceiveCount}`),
        );
        const failing = event.Records.filter((r) => r.body === 'poison');
        return { batchItemFailures: failing.map((r) => ({ itemIdentifier: r.messageId })) };
      },
      concurrency: 1,
      batchSize: 10,
      visibilityTimeoutSeconds: 1,
    });

    await send(url, ['poison', 'fine']);
    await until(async () => (await count(dlqUrl)) === 1, 15_000);

    expect(receives.filter((r) => r.startsWith('poison')).sort()).toEqual(['poison#1', 'poison#2']);
    expect(receives.filter((r) => r.startsWith('fine'))).toEqual(['fine#1']);
    const dead = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl }));
    expect(dead.Messages?.[0]?.Body).toBe('poison');
  });

  it('keeps a page the send-batch handler held back for its retry delay away past the visibility timeout', async () => {
    const { url, arn } = await queuePair(5);
    const receives: string[] = [];
    const changes: number[] = [];
    const lines: Record<string, unknown>[] = [];
    const sqsVisibility = new SqsMessageVisibility(sqs, url);
    // SES throttles every recipient of `throttled`; the page `broken` fails before SES.
    const sender = {
      sendPage: async ({ subscriberIds }: SendPage): Promise<PageOutcome> => {
        if (subscriberIds.includes('broken')) throw new Error('the ledger did not answer');
        const counts = { sent: 0, failed: 0, suppressed: 0, done: 0, later: 0, unknown: 0 };
        return {
          retry: true,
          counts: { ...counts, retry: 1, paused: 0, cancelled: 0 },
          errors: [],
        };
      },
    } as unknown as Sender;
    poll({
      queueUrl: url,
      queueArn: arn,
      createHandler: () => {
        const handler = createSendBatchHandler(async () => ({
          sender,
          queue: { enqueue: async () => {} },
          visibility: {
            changeVisibility: async (receiptHandle, seconds) => {
              changes.push(seconds);
              await sqsVisibility.changeVisibility(receiptHandle, seconds);
            },
          },
          prepare: async () => 0,
          finishCancel: async () => ({ marked: 0, mailed: 0 }),
          checkRates: async () => undefined,
          log: (line) => lines.push(line),
        }));
        return async (event, context) => {
          receives.push(...event.Records.map((r) => JSON.parse(r.body).subscriberIds[0]));
          return handler(event, context);
        };
      },
      concurrency: 1,
      batchSize: 1,
      // Without the handler's delay, both pages would be back within a second.
      visibilityTimeoutSeconds: 1,
    });
    const pageOf = (id: string) => JSON.stringify({ issueId: 'i', subscriberIds: [id] });

    await send(url, [pageOf('throttled'), pageOf('broken')]);
    await until(() => receives.filter((id) => id === 'broken').length >= 3, 15_000);

    // `broken` came back on the visibility timeout, twice; `throttled` waits its 10 s.
    expect(receives.filter((id) => id === 'throttled')).toEqual(['throttled']);
    expect(changes).toEqual([10]);
    expect(lines).not.toContainEqual(
      expect.objectContaining({ message: 'page retry delay not set' }),
    );
  });

  it('runs no more invocations at once than its concurrency, one handler per slot', async () => {
    const { url, arn } = await queuePair();
    let running = 0;
    let most = 0;
    let handlers = 0;
    let done = 0;
    poll({
      queueUrl: url,
      queueArn: arn,
      createHandler: () => {
        handlers++;
        return async () => {
          most = Math.max(most, ++running);
          await new Promise((resolve) => setTimeout(resolve, 50));
          running--;
          done++;
        };
      },
      concurrency: 2,
      batchSize: 1,
      visibilityTimeoutSeconds: 5,
    });

    await send(
      url,
      Array.from({ length: 8 }, (_, i) => `m${i}`),
    );
    await until(() => done === 8);

    expect(most).toBe(2);
    expect(handlers).toBe(2);
  });

  it('delivers a share of messages twice, at once, when asked to', async () => {
    const { url, arn } = await queuePair(5);
    const bodies: string[] = [];
    const both = gate();
    poll({
      queueUrl: url,
      queueArn: arn,
      createHandler: () => async (event) => {
        bodies.push(...event.Records.map((r) => r.body));
        if (bodies.length >= 2) both.open();
        // The first delivery is still being worked on when the second arrives.
        await both.opened;
      },
      concurrency: 2,
      batchSize: 1,
      visibilityTimeoutSeconds: 5,
      duplicates: { share: 1, seed: 'any' },
    });

    await send(url, ['twice']);
    await until(() => bodies.length >= 2);

    expect(bodies.slice(0, 2)).toEqual(['twice', 'twice']);
  });

  it('lets a running invocation finish when stopped', async () => {
    const { url, arn } = await queuePair();
    let finished = false;
    const release = gate();
    const poller = startEventSourcePoller({
      client: sqs,
      functionName: 'test',
      queueUrl: url,
      queueArn: arn,
      createHandler: () => async () => {
        await release.opened;
        finished = true;
      },
      concurrency: 1,
      batchSize: 1,
      visibilityTimeoutSeconds: 5,
    });
    await send(url, ['slow']);
    await until(() => poller.running === 1);

    const stopped = poller.stop();
    const finishedBeforeRelease = finished;
    release.open();
    await stopped;

    expect(finishedBeforeRelease).toBe(false);

    expect(finished).toBe(true);
    expect(await count(url)).toBe(0);
  });
});
