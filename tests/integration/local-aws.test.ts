import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListBucketsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetSendQuotaCommand, SESClient } from '@aws-sdk/client-ses';
import {
  CreateQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type LocalAws, startLocalAws } from '#cli/local/start-local-aws.ts';
import { StateLockedError } from '#cli/local/state-lock.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const sendQuota = { max24HourSend: 200, maxSendRate: 1 };

/** SDK settings from the variables of the local AWS, as the adapters get them. */
function clientConfig(env: Record<string, string>, endpoint: string | undefined) {
  return {
    endpoint,
    region: env.AWS_REGION,
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
    },
    maxAttempts: 1,
    requestHandler: { requestTimeout: 10_000 },
  };
}

describe('startLocalAws', () => {
  const stateDirs: string[] = [];
  const running: LocalAws[] = [];

  async function newStateDir(): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'newsletter-local-aws-'));
    stateDirs.push(dir);
    return dir;
  }

  async function start(stateDir: string): Promise<LocalAws> {
    const aws = await startLocalAws({ stateDir, sendQuota });
    running.push(aws);
    return aws;
  }

  afterEach(async () => {
    vi.unstubAllEnvs();
    await Promise.all(running.splice(0).map((aws) => aws.stop()));
    await Promise.all(stateDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('gives exactly the standard AWS variables that reach the local services', async () => {
    const aws = await start(await newStateDir());

    expect(Object.keys(aws.env).sort()).toEqual([
      'AWS_ACCESS_KEY_ID',
      'AWS_ENDPOINT_URL_DYNAMODB',
      'AWS_ENDPOINT_URL_S3',
      'AWS_ENDPOINT_URL_SES',
      'AWS_ENDPOINT_URL_SNS',
      'AWS_ENDPOINT_URL_SQS',
      'AWS_REGION',
      'AWS_REQUEST_CHECKSUM_CALCULATION',
      'AWS_RESPONSE_CHECKSUM_VALIDATION',
      'AWS_SECRET_ACCESS_KEY',
    ]);
    for (const [name, value] of Object.entries(aws.env)) {
      if (name.startsWith('AWS_ENDPOINT_URL_'))
        expect(value).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    }
  });

  it('is reached by SDK clients configured by those variables alone', async () => {
    const aws = await start(await newStateDir());
    for (const [name, value] of Object.entries(aws.env)) vi.stubEnv(name, value);
    const settings = { maxAttempts: 1, requestHandler: { requestTimeout: 10_000 } };
    const sqs = new SQSClient(settings);
    const dynamoDb = new DynamoDBClient(settings);
    const s3 = new S3Client({ ...settings, forcePathStyle: true });
    const ses = new SESClient(settings);

    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'by-env' }));
    const answers = await Promise.allSettled([
      // The call goes to the host of QueueUrl, not to the configured endpoint.
      sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'hello' })),
      dynamoDb.send(new ListTablesCommand({})),
      s3.send(new ListBucketsCommand({})),
      ses.send(new GetSendQuotaCommand({})),
    ]);
    for (const client of [sqs, dynamoDb, s3, ses]) client.destroy();

    expect(answers.map((answer) => answer.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
  });

  it('keeps DynamoDB items in the state folder across a restart', async () => {
    const stateDir = await newStateDir();
    const first = await start(stateDir);
    const writer = new DynamoDBClient(clientConfig(first.env, first.env.AWS_ENDPOINT_URL_DYNAMODB));
    await writer.send(
      new CreateTableCommand({
        TableName: 'articles',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );
    // dynalite makes a new table ACTIVE on a timer, which a busy machine may delay.
    await waitUntilTableExists(
      { client: writer, maxWaitTime: 30, minDelay: 1 },
      { TableName: 'articles' },
    );
    await writer.send(
      new PutItemCommand({
        TableName: 'articles',
        Item: { id: { S: 'a-1' }, headline: { S: 'Kept' } },
      }),
    );
    writer.destroy();
    await first.stop();

    const second = await start(stateDir);
    const reader = new DynamoDBClient(
      clientConfig(second.env, second.env.AWS_ENDPOINT_URL_DYNAMODB),
    );
    const { Item } = await reader.send(
      new GetItemCommand({ TableName: 'articles', Key: { id: { S: 'a-1' } } }),
    );
    reader.destroy();

    expect(Item?.headline).toEqual({ S: 'Kept' });
  });

  it('keeps S3 objects in the state folder across a restart', async () => {
    const stateDir = await newStateDir();
    const first = await start(stateDir);
    const writer = new S3Client({
      ...clientConfig(first.env, first.env.AWS_ENDPOINT_URL_S3),
      forcePathStyle: true,
    });
    await writer.send(new CreateBucketCommand({ Bucket: 'archive' }));
    await writer.send(
      new PutObjectCommand({
        Bucket: 'archive',
        Key: 'issues/1/index.html',
        Body: '<p>Issue 1</p>',
        ContentType: 'text/html',
      }),
    );
    writer.destroy();
    await first.stop();

    const second = await start(stateDir);
    const reader = new S3Client({
      ...clientConfig(second.env, second.env.AWS_ENDPOINT_URL_S3),
      forcePathStyle: true,
    });
    const object = await reader.send(
      new GetObjectCommand({ Bucket: 'archive', Key: 'issues/1/index.html' }),
    );
    const body = await object.Body?.transformToString();
    reader.destroy();

    expect(body).toBe('<p>Issue 1</p>');
  });

  it('delivers an SQS message sent to a new queue', async () => {
    const aws = await start(await newStateDir());
    const sqs = new SQSClient(clientConfig(aws.env, aws.env.AWS_ENDPOINT_URL_SQS));

    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'send-batches' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: '{"page":1}' }));
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    sqs.destroy();

    expect(Messages?.map((message) => message.Body)).toEqual(['{"page":1}']);
  });

  it('refuses to start the services of a state folder twice at once', async () => {
    const stateDir = await newStateDir();
    await start(stateDir);

    await expect(start(stateDir)).rejects.toBeInstanceOf(StateLockedError);
  });

  it('starts again on the same state folder once stopped', async () => {
    const stateDir = await newStateDir();
    const first = await start(stateDir);
    await first.stop();

    const second = await start(stateDir);

    expect(second.env.AWS_ENDPOINT_URL_DYNAMODB).toMatch(/^http:/);
  });

  it('lets the process exit once stopped, even with SDK clients still open', async () => {
    const stateDir = await newStateDir();
    const script = `
      const { startLocalAws } = await import(${JSON.stringify(path.join(repoRoot, 'cli/local/start-local-aws.ts'))});
      const { DynamoDBClient, ListTablesCommand } = await import('@aws-sdk/client-dynamodb');
      const { SQSClient, CreateQueueCommand, ReceiveMessageCommand } = await import('@aws-sdk/client-sqs');
      const aws = await startLocalAws({ stateDir: ${JSON.stringify(stateDir)}, sendQuota: { max24HourSend: 1, maxSendRate: 1 } });
      const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
      const ddb = new DynamoDBClient({ endpoint: aws.env.AWS_ENDPOINT_URL_DYNAMODB, region: 'us-east-1', credentials });
      await ddb.send(new ListTablesCommand({}));
      const sqs = new SQSClient({ endpoint: aws.env.AWS_ENDPOINT_URL_SQS, region: 'us-east-1', credentials, maxAttempts: 1 });
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'q' }));
      // A long poll still waiting when the services stop.
      sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20 })).catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 200));
      await aws.stop();
    `;

    const exit = await runNode(script, 20_000);

    expect(exit).toEqual({ code: 0, timedOut: false });
  });
});

function runNode(
  script: string,
  timeoutMs: number,
): Promise<{ code: number | null; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, timedOut });
    });
  });
}
