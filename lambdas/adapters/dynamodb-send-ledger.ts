import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { eventMinute } from '#core/events/event-minute.ts';
import type {
  AddedStatus,
  EventMinute,
  LinkClicks,
  RecipientEvent,
  RecipientEventCounts,
  RecipientEventType,
  SendChange,
  SendCounts,
  SendExpectation,
  SendLedger,
  SendRecord,
  SendStatus,
} from '#core/sending/ports.ts';
import {
  recipientEventCounts,
  recipientEventTypes,
  sendCounts,
  sendStatuses,
} from '#core/sending/send-counts.ts';
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
  held: z.number().int().optional(),
  claimed: z.number().int().optional(),
  unknown: z.number().int().optional(),
  sent: z.number().int().optional(),
  failed: z.number().int().optional(),
  suppressed: z.number().int().optional(),
  cancelled: z.number().int().optional(),
}) satisfies z.ZodType<Partial<SendCounts>>;

/** The recipient events counted in a counter or minute item (absent: none). */
const eventCounterSchema = z.object({
  delivered: z.number().int().optional(),
  bouncedPermanent: z.number().int().optional(),
  bouncedTransient: z.number().int().optional(),
  complained: z.number().int().optional(),
  rejected: z.number().int().optional(),
  delayed: z.number().int().optional(),
  unsubscribed: z.number().int().optional(),
  opened: z.number().int().optional(),
  clicked: z.number().int().optional(),
}) satisfies z.ZodType<Partial<RecipientEventCounts>>;

/** A minute item: its key names the minute (and shard), its attributes count the events. */
const minuteSchema = z.object({ subscriberId: z.string() });

/** A link item: the link's address and how many recipients clicked it. */
const linkSchema = z.object({ link: z.string().min(1), clicks: z.number().int() });

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
 * The sort key prefix of minute items, `#minute#<yyyy-mm-ddTHH:MM>#<shard>`: the events
 * counted in that minute (`eventTimeline`). Sharded as the counters are, by the subscriber's
 * shard: SES reports deliveries about as fast as the issue is sent, which one item a minute
 * could not take at 1,000 a second. The keys sort by minute, then shard.
 */
const MINUTE_PREFIX = '#minute#';

/**
 * The sort key prefix of link items, `#link#<hash of the address>`: a clicked link's address
 * and how many recipients clicked it. Not sharded: unique clicks come at the pace people
 * read, far below the 1,000 writes a second an item takes.
 */
const LINK_PREFIX = '#link#';

/** The record attribute that keeps the hashes of the links its recipient clicked. */
const CLICKED_LINKS = 'clickedLinks';

/**
 * The record attribute that says an event was counted for its recipient, holding when the
 * event happened: `deliveredAt`, `openedAt`, `clickedAt`…
 */
const countedAt = (type: RecipientEventType) => `${type}At`;

/** A link's key: the address can be long, and a key is read back only to find its item. */
function linkHash(link: string): string {
  return createHash('sha256').update(link).digest('hex').slice(0, 32);
}

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
 * query reads) that count its records by status and its recipients by event. The events
 * counted after the send (`recordEvent`) are also kept by minute (`#minute#…` items) and,
 * for clicks, by link (`#link#…` items); each record says which events were counted for it
 * (`deliveredAt`, `openedAt`… and the hashes of the links clicked), so none counts twice.
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
    entries: readonly { subscriberId: string; status: AddedStatus }[],
    at: string,
  ): Promise<{ subscriberId: string; status: AddedStatus }[]> {
    const misnamed = entries.find((entry) => !isRecordKey(entry.subscriberId));
    if (misnamed) {
      throw new RangeError(
        `Not a subscriber id: ${JSON.stringify(misnamed.subscriberId)} (the ledger keeps its counters under keys that sort before "${FIRST_RECORD_KEY}")`,
      );
    }
    // One conditional put each (BatchWrite cannot be conditional): a record that exists, in
    // whatever state, is never overwritten, however many processes prepare at once. A put
    // that fails its condition costs the same write unit as one that succeeds.
    const added: { subscriberId: string; status: AddedStatus }[] = [];
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
    added: readonly { subscriberId: string; status: AddedStatus }[],
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
    await this.addToItem(issueId, `${COUNTER_PREFIX}${shard}`, deltas, { throwing });
  }

  /**
   * Adds `deltas` to the numbers of the item under `key` in the issue's partition (created
   * at 0 on its first write), atomically. Nothing is written for no deltas. A failure is
   * swallowed (see the class) unless `throwing`.
   */
  private async addToItem(
    issueId: string,
    key: string,
    deltas: Partial<Record<SendStatus | RecipientEventType, number>>,
    { throwing = false } = {},
  ): Promise<void> {
    const changed = (Object.keys(deltas) as (keyof typeof deltas)[]).filter((name) => deltas[name]);
    if (changed.length === 0) return;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { issueId, subscriberId: key },
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

  async recordEvent(
    issueId: string,
    subscriberId: string,
    event: RecipientEvent,
    at: string,
  ): Promise<boolean> {
    if (!isRecordKey(subscriberId)) return false;
    const minute = eventMinute(at);
    if (event.type === 'clicked' && event.link !== undefined) {
      return this.recordClick(issueId, subscriberId, event.link, at, minute);
    }
    try {
      // The record says what was counted for it: a repeat fails the condition, and so does an
      // event for a record that does not exist (no record is created).
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { issueId, subscriberId },
          UpdateExpression: 'SET #counted = :at',
          ConditionExpression: 'attribute_exists(subscriberId) AND attribute_not_exists(#counted)',
          ExpressionAttributeNames: { '#counted': countedAt(event.type) },
          ExpressionAttributeValues: { ':at': at },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
    await this.countEvent(issueId, subscriberId, event.type, minute);
    return true;
  }

  /**
   * A click on `link`: the record keeps the hashes of the links its recipient clicked, so
   * that each link counts each recipient once, and `clickedAt` from the first click, so that
   * `clicked` counts each recipient once, whatever the link.
   */
  private async recordClick(
    issueId: string,
    subscriberId: string,
    link: string,
    at: string,
    minute: string,
  ): Promise<boolean> {
    const hash = linkHash(link);
    let first: boolean;
    try {
      const written = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { issueId, subscriberId },
          UpdateExpression: 'SET #counted = if_not_exists(#counted, :at) ADD #links :hashes',
          ConditionExpression: 'attribute_exists(subscriberId) AND NOT contains(#links, :hash)',
          ExpressionAttributeNames: { '#counted': countedAt('clicked'), '#links': CLICKED_LINKS },
          ExpressionAttributeValues: { ':at': at, ':hashes': new Set([hash]), ':hash': hash },
          // Whether `clickedAt` was there before: free with the write. The whole old item,
          // since whether an attribute set to itself counts as updated is no promise.
          ReturnValues: 'ALL_OLD',
        }),
      );
      first = written.Attributes?.[countedAt('clicked')] === undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
    await Promise.all([
      first ? this.countEvent(issueId, subscriberId, 'clicked', minute) : undefined,
      this.countLinkClick(issueId, hash, link),
    ]);
    return true;
  }

  /** Counts one recipient for `type`: in its shard's counter and in the minute's item. */
  private async countEvent(
    issueId: string,
    subscriberId: string,
    type: RecipientEventType,
    minute: string,
  ): Promise<void> {
    const shard = shardOf(subscriberId);
    await Promise.all([
      this.addToItem(issueId, `${COUNTER_PREFIX}${shard}`, { [type]: 1 }),
      this.addToItem(issueId, `${MINUTE_PREFIX}${minute}#${shard}`, { [type]: 1 }),
    ]);
  }

  /** Counts one more recipient for a link, keeping its address beside the count. */
  private async countLinkClick(issueId: string, hash: string, link: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { issueId, subscriberId: `${LINK_PREFIX}${hash}` },
          UpdateExpression: 'SET #link = if_not_exists(#link, :link) ADD #clicks :one',
          ExpressionAttributeNames: { '#link': 'link', '#clicks': 'clicks' },
          ExpressionAttributeValues: { ':link': link, ':one': 1 },
        }),
      );
    } catch {
      // The record's write, the truth, is done: a count one short (see the class).
    }
  }

  async eventCounts(issueId: string): Promise<RecipientEventCounts> {
    // The same ~10 counter items as `counts`: one read unit.
    const counts = recipientEventCounts();
    const items = issueItemsWithPrefix(this.client, this.table, issueId, COUNTER_PREFIX);
    for await (const item of items) {
      const counter = parseItem(eventCounterSchema, item, this.table, ['issueId', 'subscriberId']);
      for (const type of recipientEventTypes) counts[type] += counter[type] ?? 0;
    }
    return counts;
  }

  async linkClicks(issueId: string): Promise<LinkClicks[]> {
    const links: LinkClicks[] = [];
    const items = issueItemsWithPrefix(this.client, this.table, issueId, LINK_PREFIX);
    for await (const item of items) {
      const { link, clicks } = parseItem(linkSchema, item, this.table, ['issueId', 'subscriberId']);
      links.push({ link, clicks });
    }
    return links.sort(
      (a, b) => b.clicks - a.clicks || (a.link < b.link ? -1 : a.link > b.link ? 1 : 0),
    );
  }

  async eventTimeline(issueId: string): Promise<EventMinute[]> {
    const minutes = new Map<string, RecipientEventCounts>();
    const items = issueItemsWithPrefix(this.client, this.table, issueId, MINUTE_PREFIX);
    for await (const item of items) {
      const where = ['issueId', 'subscriberId'];
      const { subscriberId } = parseItem(minuteSchema, item, this.table, where);
      const counted = parseItem(eventCounterSchema, item, this.table, where);
      // `#minute#2026-11-27T08:00#3`: the 16 characters of the minute, then the shard.
      const minute = subscriberId.slice(MINUTE_PREFIX.length, MINUTE_PREFIX.length + 16);
      const counts = minutes.get(minute) ?? recipientEventCounts();
      for (const type of recipientEventTypes) counts[type] += counted[type] ?? 0;
      minutes.set(minute, counts);
    }
    return [...minutes]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([minute, counts]) => ({ minute, counts }));
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
