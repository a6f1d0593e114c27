import {
  CreateQueueCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqsMessageVisibility } from '#adapters/sqs-message-visibility.ts';
import { startProvisionedAws } from './support/local-aws.ts';

let local: Awaited<ReturnType<typeof startProvisionedAws>>;
let sqs: SQSClient;
beforeAll(async () => {
  local = await startProvisionedAws();
  sqs = new SQSClient({
    endpoint: local.env.AWS_ENDPOINT_URL_SQS,
    region: local.env.AWS_REGION,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
});
afterAll(async () => {
  sqs.destroy();
  await local.stop();
});

let queueCount = 0;

/** A fresh queue holding these messages. */
async function queueWith(bodies: string[]): Promise<string> {
  const created = await sqs.send(
    new CreateQueueCommand({ QueueName: `visibility-test-${++queueCount}` }),
  );
  const url = created.QueueUrl ?? '';
  await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: url,
      Entries: bodies.map((body, index) => ({ Id: String(index), MessageBody: body })),
    }),
  );
  return url;
}

/** Every message visible now, each received with `visibilitySeconds`. */
async function receive(url: string, visibilitySeconds: number, waitSeconds = 0) {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: visibilitySeconds,
      WaitTimeSeconds: waitSeconds,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    }),
  );
  return Messages;
}

const deliveryOf = (message: Message | undefined) =>
  `${message?.Body}#${message?.Attributes?.ApproximateReceiveCount}`;

describe('SqsMessageVisibility', () => {
  it('with 0, makes a received message receivable again at once, its visibility timeout notwithstanding', async () => {
    const url = await queueWith(['page']);
    const visibility = new SqsMessageVisibility(sqs, url);
    const [first] = await receive(url, 600);

    const hidden = await receive(url, 600);
    await visibility.changeVisibility(first?.ReceiptHandle ?? '', 0);
    const again = await receive(url, 600);

    expect(deliveryOf(first)).toBe('page#1');
    expect(hidden).toEqual([]);
    expect(again.map(deliveryOf)).toEqual(['page#2']);
  });

  it('keeps a received message away for the seconds given, after its own visibility timeout ran out', async () => {
    const url = await queueWith(['held', 'control']);
    const visibility = new SqsMessageVisibility(sqs, url);
    // Both received together, for 2 s: only `held` is then given 600 s.
    const received = await receive(url, 2);
    const held = received.find((message) => message.Body === 'held');

    await visibility.changeVisibility(held?.ReceiptHandle ?? '', 600);
    // Long polls until the first message is back: `control`, at the end of the 2 s.
    let back: Message[] = [];
    while (back.length === 0) back = await receive(url, 600, 5);

    expect(received.map(deliveryOf).sort()).toEqual(['control#1', 'held#1']);
    expect(back.map(deliveryOf)).toEqual(['control#2']);
  });

  it('rejects a receipt handle whose message is no longer in flight', async () => {
    const url = await queueWith(['page']);
    const visibility = new SqsMessageVisibility(sqs, url);
    const [first] = await receive(url, 600);
    await visibility.changeVisibility(first?.ReceiptHandle ?? '', 0);

    await expect(visibility.changeVisibility(first?.ReceiptHandle ?? '', 60)).rejects.toThrow(
      /MessageNotInflight|not available/,
    );
  });
});
