import { dynamoDb } from './aws-clients.ts';
import { DynamoDbSubscriberStore } from './dynamodb-subscriber-store.ts';
import { DynamoDbSuppressionStore } from './dynamodb-suppression-store.ts';
import { tableName, tables } from './tables.ts';

/**
 * The stores of subscribers and suppressed addresses, on the tables this process's
 * environment names (`SUBSCRIBERS_TABLE`, `SUPPRESSIONS_TABLE`): what the public routes and
 * the ses-events handler need.
 */
export function subscriptionStores(env = process.env) {
  const client = dynamoDb();
  return {
    subscribers: new DynamoDbSubscriberStore(client, tableName(tables.subscribers, env)),
    suppressions: new DynamoDbSuppressionStore(client, tableName(tables.suppressions, env)),
  };
}
