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
    /**
     * Only a sign-up waiting for its confirmation carries it (on the subscriber and on its
     * address item), taken off once confirmed: a sign-up nobody confirmed goes by itself,
     * should the daily erasure (`eraseStalePendings`) not have run.
     */
    timeToLiveAttribute: 'expiresAt',
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
  /**
   * Counters of requests per key in windows (`RateCounters`): sign-ups per network, under a
   * keyed hash of it (`source#<hash>`, never an IP address), and the list's confirmation
   * emails (`confirmations`). Each item holds its count and `expiresAt`, the end of its window,
   * after which it counts for nothing and DynamoDB deletes it.
   */
  counters: {
    env: 'COUNTERS_TABLE',
    localName: 'newsletter-counters',
    partitionKey: 'counter',
    timeToLiveAttribute: 'expiresAt',
  },
  /**
   * Sign-ups between the public form and their confirmation emails (`SignupQueue`): `queue`
   * is `request` (the address as typed, until it is stored) or `due` (a subscriber's id, its
   * email waiting for the hourly budget); `id` = `<ISO 8601 UTC time>#<ULID>` orders each. An
   * entry left behind goes after `pendingDays` and a little more, by DynamoDB's time to live.
   */
  signups: {
    env: 'SIGNUPS_TABLE',
    localName: 'newsletter-signups',
    partitionKey: 'queue',
    sortKey: 'id',
    timeToLiveAttribute: 'expiresAt',
  },
  /**
   * The editor API's audit trail: who did what, when, one item per action. Every item has
   * `trail` = `audit` and sorts by `atId` = `<ISO 8601 UTC time>#<ULID>`, so one Query
   * (`atId >= since`, paged, forwards or backwards) lists the records from any time on, in
   * time order, as `newsletter audit --since TIME` and `GET /audit` want. A single partition
   * holds up to 1,000 writes a second, far beyond editors' actions; buckets per day would
   * cost a Query per day of the range for nothing. Records are kept: no time to live.
   */
  audit: {
    env: 'AUDIT_TABLE',
    localName: 'newsletter-audit',
    partitionKey: 'trail',
    sortKey: 'atId',
  },
} as const satisfies Record<string, TableDefinition>;

/** The table's name from the environment; a clear error when the deployment did not set it. */
export function tableName(table: TableDefinition, env = process.env): string {
  return resourceFromEnv(table, env);
}
