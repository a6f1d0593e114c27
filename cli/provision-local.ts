import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { buckets, type QueueDefinition, queues, topics } from '#adapters/resources.ts';
import { type TableDefinition, tables } from '#adapters/tables.ts';

/**
 * Creates what the CDK app creates on AWS, on the local services whose standard AWS
 * variables are in `env`: tables and the bucket (kept on disk) if missing, queues and the
 * SES events topic (in memory) every time. Idempotent.
 * @returns the variables that name each resource, as the stack sets them on AWS
 */
export async function provisionLocal(env: Record<string, string>): Promise<Record<string, string>> {
  const common = {
    region: env.AWS_REGION,
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
    },
  };
  const dynamoDb = new DynamoDBClient({ ...common, endpoint: env.AWS_ENDPOINT_URL_DYNAMODB });
  const s3 = new S3Client({ ...common, endpoint: env.AWS_ENDPOINT_URL_S3, forcePathStyle: true });
  const sqs = new SQSClient({ ...common, endpoint: env.AWS_ENDPOINT_URL_SQS });
  const sns = new SNSClient({ ...common, endpoint: env.AWS_ENDPOINT_URL_SNS });
  try {
    const names: Record<string, string> = {};
    await Promise.all(Object.values(tables).map((table) => ensureTable(dynamoDb, table)));
    for (const table of Object.values(tables)) names[table.env] = table.localName;
    await ensureBucket(s3, buckets.archive.localName);
    names[buckets.archive.env] = buckets.archive.localName;
    for (const queue of Object.values(queues)) Object.assign(names, await ensureQueue(sqs, queue));
    const topic = await sns.send(new CreateTopicCommand({ Name: topics.sesEvents.localName }));
    names[topics.sesEvents.env] = topic.TopicArn ?? '';
    const eventsQueueArn = await queueArn(sqs, names[queues.sesEvents.env] ?? '');
    // Raw message delivery stays off, as on AWS: the SQS body is the SNS envelope.
    await sns.send(
      new SubscribeCommand({ TopicArn: topic.TopicArn, Protocol: 'sqs', Endpoint: eventsQueueArn }),
    );
    return names;
  } finally {
    for (const client of [dynamoDb, s3, sqs, sns]) client.destroy();
  }
}

async function ensureTable(client: DynamoDBClient, table: TableDefinition): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: table.localName }));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const keys = [table.partitionKey, ...(table.sortKey ? [table.sortKey] : [])];
  const input: CreateTableCommandInput = {
    TableName: table.localName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: keys.map((name) => ({
      AttributeName: name,
      AttributeType: 'S',
    })),
    KeySchema: [
      { AttributeName: table.partitionKey, KeyType: 'HASH' },
      ...(table.sortKey ? [{ AttributeName: table.sortKey, KeyType: 'RANGE' as const }] : []),
    ],
  };
  await client.send(new CreateTableCommand(input));
  await waitUntilTableExists(
    { client, maxWaitTime: 30, minDelay: 1 },
    { TableName: table.localName },
  );
}

async function ensureBucket(client: S3Client, bucket: string): Promise<void> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  }
}

async function ensureQueue(client: SQSClient, queue: QueueDefinition) {
  const dlq = await client.send(new CreateQueueCommand({ QueueName: queue.deadLetter.localName }));
  const dlqUrl = dlq.QueueUrl ?? '';
  const main = await client.send(
    new CreateQueueCommand({
      QueueName: queue.localName,
      Attributes: {
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: await queueArn(client, dlqUrl),
          maxReceiveCount: queue.deadLetter.maxReceiveCount,
        }),
      },
    }),
  );
  return { [queue.env]: main.QueueUrl ?? '', [queue.deadLetter.env]: dlqUrl };
}

async function queueArn(client: SQSClient, queueUrl: string): Promise<string> {
  const result = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const arn = result.Attributes?.QueueArn;
  if (!arn) throw new Error(`no ARN for the local queue ${queueUrl}`);
  return arn;
}
