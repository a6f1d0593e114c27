import { resourceFromEnv } from './resources.ts';

/**
 * The DynamoDB tables, described once for the local provisioner and the CDK app.
 * Each adapter learns its table's name from the environment variable `env`; locally
 * that variable is set to `localName`.
 */
export interface TableDefinition {
  env: string;
  localName: string;
  partitionKey: string;
  sortKey?: string;
  /**
   * The attribute (seconds since the epoch) after which DynamoDB deletes an item by itself;
   * items without it stay. Not applied by the local DynamoDB.
   */
  timeToLiveAttribute?: string;
}

export const tables = {
  articles: { env: 'ARTICLES_TABLE', localName: 'newsletter-articles', partitionKey: 'id' },
  subscribers: {
    env: 'SUBSCRIBERS_TABLE',
    localName: 'newsletter-subscribers',
    partitionKey: 'id',
  },
  issues: { env: 'ISSUES_TABLE', localName: 'newsletter-issues', partitionKey: 'issueId' },
  sends: {
    env: 'SENDS_TABLE',
    localName: 'newsletter-sends',
    partitionKey: 'issueId',
    sortKey: 'subscriberId',
    /** Only the senders' leases carry it: a lease a sender never released goes by itself. */
    timeToLiveAttribute: 'expiresAt',
  },
  /** Suppressed addresses by keyed hash (no address), kept after a subscriber is forgotten. */
  suppressions: {
    env: 'SUPPRESSIONS_TABLE',
    localName: 'newsletter-suppressions',
    partitionKey: 'addressHash',
  },
} as const satisfies Record<string, TableDefinition>;

/** The table's name from the environment; a clear error when the deployment did not set it. */
export function tableName(table: TableDefinition, env = process.env): string {
  return resourceFromEnv(table, env);
}
