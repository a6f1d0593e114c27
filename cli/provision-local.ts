import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { type TableDefinition, tables } from '#adapters/tables.ts';

/**
 * Creates what CDK creates on AWS, for the embedded services: the tables, if missing.
 * Idempotent, so every command may call it.
 */
export async function provisionLocal(client: DynamoDBClient): Promise<void> {
  await Promise.all(Object.values(tables).map((table) => ensureTable(client, table)));
}

/** The environment that names each local resource, as the CDK stack does on AWS. */
export function localResourceEnv(): Record<string, string> {
  return Object.fromEntries(Object.values(tables).map((table) => [table.env, table.localName]));
}

async function ensureTable(client: DynamoDBClient, table: TableDefinition): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: table.localName }));
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const keys = [table.partitionKey, ...(table.sortKey ? [table.sortKey] : [])];
  const indexKeys = (table.indexes ?? []).map((index) => index.partitionKey);
  const input: CreateTableCommandInput = {
    TableName: table.localName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...new Set([...keys, ...indexKeys])].map((name) => ({
      AttributeName: name,
      AttributeType: 'S',
    })),
    KeySchema: [
      { AttributeName: table.partitionKey, KeyType: 'HASH' },
      ...(table.sortKey ? [{ AttributeName: table.sortKey, KeyType: 'RANGE' as const }] : []),
    ],
    GlobalSecondaryIndexes: table.indexes?.map((index) => ({
      IndexName: index.name,
      KeySchema: [{ AttributeName: index.partitionKey, KeyType: 'HASH' }],
      Projection: { ProjectionType: 'ALL' },
    })),
  };
  await client.send(new CreateTableCommand(input));
  await waitUntilTableExists(
    { client, maxWaitTime: 30, minDelay: 1 },
    { TableName: table.localName },
  );
}
