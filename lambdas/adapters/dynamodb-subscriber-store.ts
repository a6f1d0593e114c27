import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { addressKey } from '#core/common/address-hash.ts';
import type {
  Subscriber,
  SubscriberChanges,
  SubscriberCondition,
  SubscriberPages,
  SubscriberStore,
} from '#core/subscribers/ports.ts';
import { batchGetAll } from './dynamodb-batch.ts';
import { suppressionSchema } from './dynamodb-suppression-store.ts';
import { parseItem } from './parse-item.ts';

/** Ids of the items that hold an address for its subscriber; ULIDs never contain `#`. */
const ADDRESS_PREFIX = 'address#';

/**
 * Subscribers in DynamoDB keyed by `id`. Each address also has an item of its own,
 * `{ id: "address#<addressKey>", subscriberId }`, written first with a condition: it makes
 * an address unique even when two requests add it at once, and lets an address be found with
 * consistent reads. Listing and paging leave those address items out.
 *
 * A subscriber's `eraseAfter` is also written, in seconds, as the table's time-to-live
 * attribute `expiresAt`, on the subscriber and on its address item, so that DynamoDB deletes
 * both. It is taken off the address item before the subscriber (and put back if the
 * subscriber's update is refused), and put on it after: whatever fails between the two
 * writes, an address item never expires under a subscriber that stays.
 */
export class DynamoDbSubscriberStore implements SubscriberStore, SubscriberPages {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async add(subscriber: Subscriber): Promise<{ subscriber: Subscriber; created: boolean }> {
    const present = await this.findByEmail(subscriber.email);
    if (present) return { subscriber: present, created: false };
    let id = subscriber.id;
    const addressId = addressItemId(subscriber.email);
    const expiry = expiresAtOf(subscriber.eraseAfter);
    if (!(await this.putIfAbsent({ id: addressId, subscriberId: id, ...expiry }))) {
      // Another request claimed the address first: its subscriber wins, whoever writes it.
      const claim = await this.getItem(addressId);
      id = typeof claim?.subscriberId === 'string' ? claim.subscriberId : id;
    }
    const candidate = { ...subscriber, id };
    if (await this.putIfAbsent(toItem(candidate))) {
      return { subscriber: candidate, created: true };
    }
    const winner = await this.get(id);
    if (!winner) throw new Error(`subscriber ${id} vanished while being added`);
    return { subscriber: winner, created: false };
  }

  async list(): Promise<Subscriber[]> {
    const subscribers: Subscriber[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({ TableName: this.table, ExclusiveStartKey: startKey }),
      );
      for (const item of page.Items ?? []) {
        if (!String(item.id).startsWith(ADDRESS_PREFIX)) subscribers.push(this.toSubscriber(item));
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    // ULIDs sort by creation time.
    return subscribers.sort((a, b) => a.id.localeCompare(b.id));
  }

  async page(
    cursor: string | undefined,
    limit: number,
  ): Promise<{ subscribers: Subscriber[]; cursor?: string }> {
    const page = await this.client.send(
      new ScanCommand({
        TableName: this.table,
        Limit: limit,
        ExclusiveStartKey: cursor ? { id: cursor } : undefined,
      }),
    );
    const subscribers = (page.Items ?? [])
      .filter((item) => !String(item.id).startsWith(ADDRESS_PREFIX))
      .map((item) => this.toSubscriber(item));
    const next = page.LastEvaluatedKey?.id;
    return typeof next === 'string' ? { subscribers, cursor: next } : { subscribers };
  }

  async getMany(ids: readonly string[]): Promise<Subscriber[]> {
    const wanted = ids.filter((id) => !id.startsWith(ADDRESS_PREFIX)).map((id) => ({ id }));
    return (await batchGetAll(this.client, this.table, wanted)).map((item) =>
      this.toSubscriber(item),
    );
  }

  async get(id: string): Promise<Subscriber | undefined> {
    if (id.startsWith(ADDRESS_PREFIX)) return undefined;
    const item = await this.getItem(id);
    return item && this.toSubscriber(item);
  }

  async findByEmail(email: string): Promise<Subscriber | undefined> {
    const claim = await this.getItem(addressItemId(email));
    return typeof claim?.subscriberId === 'string' ? this.get(claim.subscriberId) : undefined;
  }

  async update(
    id: string,
    changes: SubscriberChanges,
    condition: SubscriberCondition = {},
  ): Promise<Subscriber | undefined> {
    if (id.startsWith(ADDRESS_PREFIX)) return undefined;
    if (Object.keys(changes).length === 0) return this.get(id);
    if (!('eraseAfter' in changes)) return this.updateItem(id, changes, condition);
    if (changes.eraseAfter !== undefined) {
      const updated = await this.updateItem(id, changes, condition);
      if (updated) await this.setAddressExpiry(updated, changes.eraseAfter);
      return updated;
    }
    const before = await this.get(id);
    if (before?.eraseAfter) await this.setAddressExpiry(before, undefined);
    const updated = await this.updateItem(id, changes, condition);
    // Refused: the subscriber still expires, and so must its address again.
    if (!updated && before?.eraseAfter) {
      const now = await this.get(id);
      if (now?.eraseAfter) await this.setAddressExpiry(now, now.eraseAfter);
    }
    return updated;
  }

  /** `update` of the subscriber's own item, with `expiresAt` following `eraseAfter`. */
  private async updateItem(
    id: string,
    changes: SubscriberChanges,
    condition: SubscriberCondition,
  ): Promise<Subscriber | undefined> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const set: string[] = [];
    const remove: string[] = [];
    const stored: [string, unknown][] = Object.entries(changes).map(([field, value]) => [
      field,
      field === 'transientBounces' && Array.isArray(value) ? toSet(value) : value,
    ]);
    if ('eraseAfter' in changes) {
      stored.push([EXPIRES_AT, expiresAtOf(changes.eraseAfter)[EXPIRES_AT]]);
    }
    for (const [index, [field, value]] of stored.entries()) {
      names[`#f${index}`] = field;
      if (value === undefined) {
        remove.push(`#f${index}`);
      } else {
        values[`:f${index}`] = value;
        set.push(`#f${index} = :f${index}`);
      }
    }
    const conditions = conditionOf(condition, names, values);
    if (!conditions) return undefined;
    const expression = [
      set.length > 0 ? `SET ${set.join(', ')}` : '',
      remove.length > 0 ? `REMOVE ${remove.join(', ')}` : '',
    ].join(' ');
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { id },
          UpdateExpression: expression.trim(),
          ConditionExpression: conditions,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: Object.keys(values).length > 0 ? values : undefined,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return result.Attributes && this.toSubscriber(result.Attributes);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  /** Puts `eraseAfter` on the subscriber's address item, or takes it off, if the item is its. */
  private async setAddressExpiry(
    subscriber: Subscriber,
    eraseAfter: string | undefined,
  ): Promise<void> {
    const expiry = expiresAtOf(eraseAfter)[EXPIRES_AT];
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { id: addressItemId(subscriber.email) },
          UpdateExpression:
            expiry === undefined ? 'REMOVE #expiresAt' : 'SET #expiresAt = :expiresAt',
          ConditionExpression: 'subscriberId = :id',
          ExpressionAttributeNames: { '#expiresAt': EXPIRES_AT },
          ExpressionAttributeValues: {
            ':id': subscriber.id,
            ...(expiry === undefined ? {} : { ':expiresAt': expiry }),
          },
        }),
      );
    } catch (error) {
      // The address belongs to another subscriber (or to none): leave it.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async addTransientBounce(id: string, messageId: string): Promise<number> {
    if (id.startsWith(ADDRESS_PREFIX)) return 0;
    try {
      // A string set: adding a message id it holds already changes nothing.
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { id },
          UpdateExpression: 'ADD transientBounces :message',
          ConditionExpression: 'attribute_exists(id)',
          ExpressionAttributeValues: { ':message': new Set([messageId]) },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      const bounces = result.Attributes?.transientBounces;
      return bounces instanceof Set ? bounces.size : 0;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 0;
      throw error;
    }
  }

  async remove(id: string, condition: SubscriberCondition = {}): Promise<boolean> {
    if (id.startsWith(ADDRESS_PREFIX)) return false;
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const conditions = conditionOf(condition, names, values);
    if (!conditions) return false;
    let removed: Record<string, unknown> | undefined;
    try {
      const result = await this.client.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { id },
          ReturnValues: 'ALL_OLD',
          // No condition but the subscriber's being there: a subscriber that is not there is
          // no refusal, and deleting it again still tidies its address.
          ...(Object.keys(names).length > 0
            ? {
                ConditionExpression: conditions,
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: Object.keys(values).length > 0 ? values : undefined,
              }
            : {}),
        }),
      );
      removed = result.Attributes;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
    const email = removed?.email;
    if (typeof email !== 'string') return false;
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { id: addressItemId(email) },
          ConditionExpression: 'subscriberId = :id',
          ExpressionAttributeValues: { ':id': id },
        }),
      );
    } catch (error) {
      // The address belongs to another subscriber (or to none): leave it.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    return true;
  }

  private toSubscriber(item: Record<string, unknown>): Subscriber {
    return parseItem(subscriberSchema, item, this.table, ['id']);
  }

  private async getItem(id: string): Promise<Record<string, unknown> | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { id }, ConsistentRead: true }),
    );
    return result.Item;
  }

  private async putIfAbsent(item: Record<string, unknown>): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

/** The table's time-to-live attribute (see `tables.subscribers`). */
const EXPIRES_AT = 'expiresAt';

/** `expiresAt` in seconds since the epoch, as DynamoDB's time to live reads it, if any. */
function expiresAtOf(eraseAfter: string | undefined): { expiresAt?: number } {
  return eraseAfter === undefined ? {} : { expiresAt: Math.floor(Date.parse(eraseAfter) / 1000) };
}

/**
 * The condition expression of `condition` on a subscriber that is there, with its names and
 * values added; undefined when no subscriber can hold it (no status allowed).
 */
function conditionOf(
  condition: SubscriberCondition,
  names: Record<string, string>,
  values: Record<string, unknown>,
): string | undefined {
  const conditions = ['attribute_exists(id)'];
  if (condition.status) {
    if (condition.status.length === 0) return undefined;
    names['#status'] = 'status';
    const placeholders = condition.status.map((status, index) => {
      values[`:s${index}`] = status;
      return `:s${index}`;
    });
    conditions.push(`#status IN (${placeholders.join(', ')})`);
  }
  if (condition.confirmationSentBefore !== undefined) {
    names['#sentAt'] = 'confirmationSentAt';
    values[':sentBefore'] = condition.confirmationSentBefore;
    conditions.push('(attribute_not_exists(#sentAt) OR #sentAt < :sentBefore)');
  }
  if (condition.pendingSince !== undefined) {
    names['#pendingSince'] = 'pendingSince';
    values[':pendingSince'] = condition.pendingSince;
    conditions.push('#pendingSince = :pendingSince');
  }
  return conditions.join(' AND ');
}

/** The id of the item that holds `email` for its subscriber. */
function addressItemId(email: string): string {
  return ADDRESS_PREFIX + addressKey(email);
}

function toItem(subscriber: Subscriber): Record<string, unknown> {
  const { transientBounces, ...rest } = subscriber;
  const bounces = transientBounces && toSet(transientBounces);
  return {
    ...rest,
    ...(bounces ? { transientBounces: bounces } : {}),
    ...expiresAtOf(subscriber.eraseAfter),
  };
}

/** DynamoDB has no empty sets: none is stored as no attribute. */
function toSet(values: readonly string[]): Set<string> | undefined {
  return values.length > 0 ? new Set(values) : undefined;
}

/** A subscriber as stored: transient bounces as a string set. */
const subscriberSchema = z.object({
  id: z.string().min(1),
  email: z.string().min(1),
  name: z.string().optional(),
  status: z.enum(['active', 'pending', 'unsubscribed', 'suppressed']),
  source: z.string(),
  createdAt: z.string(),
  updatedAt: z.string().optional(),
  confirmedAt: z.string().optional(),
  pendingSince: z.string().optional(),
  confirmationSentAt: z.string().optional(),
  unsubscribedAt: z.string().optional(),
  unsubscribedVia: z.string().optional(),
  suppression: suppressionSchema.optional(),
  transientBounces: z
    .set(z.string())
    .transform((bounces) => [...bounces].sort())
    .optional(),
  eraseAfter: z.string().optional(),
}) satisfies z.ZodType<Subscriber>;
