import { dynamoDb } from './aws-clients.ts';
import { DynamoDbRateCounters } from './dynamodb-rate-counters.ts';
import { DynamoDbSignupQueue } from './dynamodb-signup-queue.ts';
import { tableName, tables } from './tables.ts';

/**
 * The sign-up queue and the rate counters, on the tables this process's environment names
 * (`SIGNUPS_TABLE`, `COUNTERS_TABLE`): what the public form and the confirmations job need.
 */
export function signupStores(env = process.env) {
  const client = dynamoDb();
  return {
    signups: new DynamoDbSignupQueue(client, tableName(tables.signups, env)),
    counters: new DynamoDbRateCounters(client, tableName(tables.counters, env)),
  };
}
