import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type {
  SendChange,
  SendCounts,
  SendExpectation,
  SendLedger,
  SendRecord,
  SendStatus,
} from '#core/sending/ports.ts';
import { sendCounts, sendStatuses } from '#core/sending/send-counts.ts';
import { batchGetAll } from './dynamodb-batch.ts';
import { issueItemsWithPrefix } from './issue-items-with-prefix.ts';
import { parseItem } from './parse-item.ts';

const sendRecordSchema = z.object({
  issueId: z.string().min(1),
  subscriberId: z.string().min(1),
  status: z.enum(sendStatuses),
  claim: z.string().optional(),
  messageId: z.string().optional(),
  error: z.string().optional(),
  updatedAt: z.string(),
}) satisfies z.ZodType<SendRecord>;

/** A counter item: how many of its shard's records are in each status (absent: none). */
const counterSchema = z.object({
  queued: z.number().int().optional(),
  claimed: z.number().int().optional(),
  unknown: z.number().int().optional(),
  sent: z.number().int().optional(),
  failed: z.number().int().optional(),
  suppressed: z.number().int().optional(),
  cancelled: z.number().int().optional(),
}) satisfies z.ZodType<Partial<SendCounts>>;

/** Conditional puts in flight while preparing an issue. */
const PUTS_IN_FLIGHT = 16;

/**
 * Counter items per issue. A DynamoDB item takes at most 1,000 write units a second, and every
 * change of a record's status writes its shard's counter: at 1,000 changes a second, 10 shards
 * take about 100 writes a second each, and still cost one read unit to sum (10 items of ~100
 * bytes). They share the issue's partition key with its records: DynamoDB can split a hot
 * item collection by sort key range (the table has no local index), counters and records alike.
 */
const COUNTER_SHARDS = 10;

/**
 * The sort key prefix of counter items, `#count#0` to `#count#9`, in the issue's partition: `#`
 * sorts before every character a subscriber id holds (`[0-9A-Za-z_-]`).
 */
const COUNTER_PREFIX = '#count#';

/**
 * The lowest sort key of a record: every counter key sorts before it (`#` < `$`), every
 * subscriber id after it (its first character is `-` or higher).
 */
const FIRST_RECORD_KEY = '$';

/**
 * Whether `subscriberId` can name a record: it sorts after the counters (compared by code
 * unit, which orders a key against the ASCII `$` exactly as DynamoDB's byte order does).
 */
const isRecordKey = (subscriberId: string) => subscriberId >= FIRST_RECORD_KEY;

/** The counter shard of a subscriber's record: a stable hash (32-bit FNV-1a) of its id. */
function shardOf(subscriberId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < subscriberId.length; i++) {
    hash ^= subscriberId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % COUNTER_SHARDS;
}

/**
 * The send ledger in DynamoDB: one item per (`issueId`, `subscriberId`), and per issue
 * {@link COUNTER_SHARDS} counter items (sort keys `#count#0` … `#count#9`, which no record
 * query reads) that count its records by status.
 *
 * A record's counter is written right after the record (this DynamoDB has no transactions
 * locally, and a transaction would double the cost of every change): a process that dies in
 * between, or a counter write that fails once the SDK has given up retrying it, leaves a count
 * off by one until `correctCounts`. Such a counter failure is not thrown: the record, the
 * truth, did change, and its writer must act on that.
 */
export class DynamoDbSendLedger implements SendLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async addMissing(
    issueId: string,
    entries: readonly { subscriberId: string; status: 'queued' | 'suppressed' }[],
    at: string,
  ): Promise<{ subscriberId: string; status: 'queued' | 'suppressed' }[]> {
    const misnamed = entries.find((entry) => !isRecordKey(entry.subscriberId));
    if (misnamed) {
      throw new RangeError(
        `Not a subscriber id: ${JSON.stringify(misnamed.subscriberId)} (the ledger keeps its counters under keys that sort before "${FIRST_RECORD_KEY}")`,
      );
    }
    // One conditional put each (BatchWrite cannot be conditional): a record that exists, in
    // whatever state, is never overwritten, however many processes prepare at once. A put
    // that fails its condition costs the same write unit as one that succeeds.
    const added: { subscriberId: string; status: 'queued' | 'suppressed' }[] = [];
    let failure: { error: unknown } | undefined;
    let next = 0;
    const worker = async () => {
      while (next < entries.length && !failure) {
        const entry = entries[next++] as (typeof entries)[number];
        try {
          await this.client.send(
            new PutCommand({
              TableName: this.table,
              Item: {
                issueId,
                subscriberId: entry.subscriberId,
                status: entry.status,
                updatedAt: at,
              },
              ConditionExpression: 'attribute_not_exists(subscriberId)',
            }),
          );
          added.push(entry);
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) failure ??= { error };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PUTS_IN_FLIGHT, entries.length) }, worker));
    // Counted also when a put failed: the records added before it stay, and a second call
    // would not count them (they exist by then).
    await this.countAdded(issueId, added);
    if (failure) throw failure.error;
    return added;
  }

  /** Counts added records: one write per shard touched, all at once. */
  private async countAdded(
    issueId: string,
    added: readonly { subscriberId: string; status: 'queued' | 'suppressed' }[],
  ): Promise<void> {
    const byShard = new Map<number, Partial<SendCounts>>();
    for (const { subscriberId, status } of added) {
      const shard = shardOf(subscriberId);
      const deltas = byShard.get(shard) ?? {};
      deltas[status] = (deltas[status] ?? 0) + 1;
      byShard.set(shard, deltas);
    }
    await Promise.all(
      [...byShard].map(([shard, deltas]) => this.addToCounter(issueId, shard, deltas)),
    );
  }

  async getMany(issueId: string, subscriberIds: readonly string[]): Promise<SendRecord[]> {
    const keys = subscriberIds
      .filter(isRecordKey)
      .map((subscriberId) => ({ issueId, subscriberId }));
    const items = await batchGetAll(this.client, this.table, keys, { consistentRead: true });
    return items.map((item) => this.toRecord(item));
  }

  async update(
    issueId: string,
    subscriberId: string,
    expected: SendExpectation,
    change: SendChange,
    at: string,
  ): Promise<boolean> {
    if (!isRecordKey(subscriberId)) return false;
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = { ':status': change.status, ':at': at };
    const statuses = expected.status.map((status: SendStatus, index) => {
      values[`:expected${index}`] = status;
      return `:expected${index}`;
    });
    const conditions = [`#status IN (${statuses.join(', ')})`];
    if (expected.claim === null) {
      names['#claim'] = 'claim';
      conditions.push('attribute_not_exists(#claim)');
    } else if (expected.claim !== undefined) {
      names['#claim'] = 'claim';
      values[':expectedClaim'] = expected.claim;
      conditions.push('#claim = :expectedClaim');
    }
    if (expected.updatedAt !== undefined) {
      values[':expectedAt'] = expected.updatedAt;
      conditions.push('updatedAt = :expectedAt');
    }
    const set = ['#status = :status', 'updatedAt = :at'];
    const remove: string[] = [];
    if (change.claim === null) {
      names['#claim'] = 'claim';
      remove.push('#claim');
    } else if (change.claim !== undefined) {
      names['#claim'] = 'claim';
      values[':claim'] = change.claim;
      set.push('#claim = :claim');
    }
    for (const field of ['messageId', 'error'] as const) {
      if (change[field] === undefined) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = change[field];
      set.push(`#${field} = :${field}`);
    }
    let old: SendStatus;
    try {
      // The old status comes back with the write (free: no read), to move its count.
      const written = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { issueId, subscriberId },
          UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'UPDATED_OLD',
        }),
      );
      old = written.Attributes?.status as SendStatus;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
    if (old !== change.status) {
      await this.addToCounter(issueId, shardOf(subscriberId), { [old]: -1, [change.status]: 1 });
    }
    return true;
  }

  async counts(issueId: string): Promise<SendCounts> {
    // One strongly consistent query of the issue's ~10 counter items: one read unit.
    const counts = sendCounts();
    const items = issueItemsWithPrefix(this.client, this.table, issueId, COUNTER_PREFIX);
    for await (const item of items) {
      const counter = parseItem(counterSchema, item, this.table, ['issueId', 'subscriberId']);
      for (const status of sendStatuses) counts[status] += counter[status] ?? 0;
    }
    return counts;
  }

  async correctCounts(issueId: string, counted: SendCounts): Promise<void> {
    const current = await this.counts(issueId);
    const deltas: Partial<SendCounts> = {};
    for (const status of sendStatuses) {
      const delta = counted[status] - current[status];
      if (delta !== 0) deltas[status] = delta;
    }
    // The difference goes to one shard: only the sum of the shards means anything.
    await this.addToCounter(issueId, 0, deltas, { throwing: true });
  }

  /**
   * Adds `deltas` to a counter item (created at 0 on its first write), atomically, whatever
   * else writes it meanwhile. Nothing is written for no deltas. A failure is swallowed (see the
   * class) unless `throwing`.
   */
  private async addToCounter(
    issueId: string,
    shard: number,
    deltas: Partial<SendCounts>,
    { throwing = false } = {},
  ): Promise<void> {
    const changed = sendStatuses.filter((status) => deltas[status]);
    if (changed.length === 0) return;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { issueId, subscriberId: `${COUNTER_PREFIX}${shard}` },
          UpdateExpression: `ADD ${changed.map((status) => `#${status} :${status}`).join(', ')}`,
          ExpressionAttributeNames: Object.fromEntries(changed.map((s) => [`#${s}`, s])),
          ExpressionAttributeValues: Object.fromEntries(changed.map((s) => [`:${s}`, deltas[s]])),
        }),
      );
    } catch (error) {
      // The record's write, the truth, is done: a count off by one until `correctCounts`.
      if (throwing) throw error;
    }
  }

  async *pages(issueId: string): AsyncIterable<SendRecord[]> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          // From the first record key on: the counters before it are not even read.
          KeyConditionExpression: 'issueId = :issueId AND subscriberId >= :first',
          ExpressionAttributeValues: { ':issueId': issueId, ':first': FIRST_RECORD_KEY },
          ExclusiveStartKey: startKey,
          ConsistentRead: true,
        }),
      );
      if (page.Items && page.Items.length > 0) yield page.Items.map((item) => this.toRecord(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }

  async list(issueId: string): Promise<SendRecord[]> {
    const records: SendRecord[] = [];
    for await (const page of this.pages(issueId)) records.push(...page);
    return records;
  }

  private toRecord(item: Record<string, unknown>): SendRecord {
    return parseItem(sendRecordSchema, item, this.table, ['issueId', 'subscriberId']);
  }
}
