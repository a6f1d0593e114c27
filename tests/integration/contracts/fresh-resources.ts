import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll } from 'vitest';
import type { TableDefinition } from '#adapters/tables.ts';
import { startProvisionedAws } from '../support/local-aws.ts';

/**
 * Empty tables, queues and buckets on the local services, a new one each call, so that each
 * contract test starts from nothing while one local AWS serves a whole file.
 */
export function freshResources(local: Awaited<ReturnType<typeof startProvisionedAws>>) {
  const common = {
    region: local.env.AWS_REGION,
    credentials: {
      accessKeyId: local.env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: local.env.AWS_SECRET_ACCESS_KEY ?? '',
    },
  };
  const dynamoDb = new DynamoDBClient({ ...common, endpoint: local.env.AWS_ENDPOINT_URL_DYNAMODB });
  const sqs = new SQSClient({ ...common, endpoint: local.env.AWS_ENDPOINT_URL_SQS });
  const s3 = new S3Client({
    ...common,
    endpoint: local.env.AWS_ENDPOINT_URL_S3,
    forcePathStyle: true,
  });
  let count = 0;
  return {
    sqs,
    s3,
    /** A new table with the keys and indexes of the provisioned `table`; its name. */
    async table(table: TableDefinition): Promise<string> {
      const name = `${table.localName}-${++count}`;
      // Copied from the provisioned table, so that a test table cannot drift from it.
      const { Table: like } = await dynamoDb.send(
        new DescribeTableCommand({ TableName: table.localName }),
      );
      await dynamoDb.send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: like?.AttributeDefinitions,
          KeySchema: like?.KeySchema,
          GlobalSecondaryIndexes: like?.GlobalSecondaryIndexes?.map((index) => ({
            IndexName: index.IndexName,
            KeySchema: index.KeySchema,
            Projection: index.Projection,
          })),
        }),
      );
      // The local DynamoDB makes a table active at once; the SDK's waiter would sleep a second.
      for (let tries = 0; ; tries++) {
        const { Table: made } = await dynamoDb.send(new DescribeTableCommand({ TableName: name }));
        if (made?.TableStatus === 'ACTIVE') break;
        if (tries >= 100) throw new Error(`the local table ${name} never became active`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return name;
    },
    /** A new queue; its URL. */
    async queue(): Promise<string> {
      const created = await sqs.send(new CreateQueueCommand({ QueueName: `contract-${++count}` }));
      return created.QueueUrl ?? '';
    },
    /** Every message a queue has ready, received and deleted; their bodies. */
    async drain(queueUrl: string): Promise<string[]> {
      const bodies: string[] = [];
      for (;;) {
        const { Messages: messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 0,
          }),
        );
        if (messages.length === 0) return bodies;
        bodies.push(...messages.map((message) => message.Body ?? ''));
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: messages.map((message, index) => ({
              Id: String(index),
              ReceiptHandle: message.ReceiptHandle,
            })),
          }),
        );
      }
    },
    /** A new bucket; its name. */
    async bucket(): Promise<string> {
      const name = `contract-${++count}`;
      await s3.send(new CreateBucketCommand({ Bucket: name }));
      return name;
    },
    stop() {
      for (const client of [dynamoDb, sqs, s3]) client.destroy();
    },
  };
}

/** The local services of a contract test file and the fresh resources made on them. */
export interface ContractAws {
  local: Awaited<ReturnType<typeof startProvisionedAws>>;
  fresh: ReturnType<typeof freshResources>;
}

/**
 * Starts one provisioned local AWS for the calling test file before its tests, with
 * {@link freshResources} on it, and stops both after them. Read its fields inside the tests'
 * factories: they are set only once the file's `beforeAll` has run.
 */
export function useFreshResources(): ContractAws {
  const aws = {} as ContractAws;
  beforeAll(async () => {
    aws.local = await startProvisionedAws();
    aws.fresh = freshResources(aws.local);
  });
  afterAll(async () => {
    aws.fresh.stop();
    await aws.local.stop();
  });
  return aws;
}
