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
  SendExpectation,
  SendLedger,
  SendRecord,
  SendStatus,
} from '#core/sending/ports.ts';
import { batchGetAll } from './dynamodb-batch.ts';
import { parseItem } from './parse-item.ts';

const sendRecordSchema = z.object({
  issueId: z.string().min(1),
  subscriberId: z.string().min(1),
  status: z.enum(['queued', 'claimed', 'unknown', 'sent', 'failed', 'suppressed']),
  claim: z.string().optional(),
  messageId: z.string().optional(),
  error: z.string().optional(),
  updatedAt: z.string(),
}) satisfies z.ZodType<SendRecord>;

/** Conditional puts in flight while preparing an issue. */
const PUTS_IN_FLIGHT = 16;

/** The send ledger in DynamoDB: one item per (`issueId`, `subscriberId`). */
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
    // One conditional put each (BatchWrite cannot be conditional): a record that exists, in
    // whatever state, is never overwritten, however many processes prepare at once. A put
    // that fails its condition costs the same write unit as one that succeeds.
    const added: { subscriberId: string; status: 'queued' | 'suppressed' }[] = [];
    let next = 0;
    const worker = async () => {
      while (next < entries.length) {
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
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PUTS_IN_FLIGHT, entries.length) }, worker));
    return added;
  }

  async getMany(issueId: string, subscriberIds: readonly string[]): Promise<SendRecord[]> {
    const keys = subscriberIds.map((subscriberId) => ({ issueId, subscriberId }));
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
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { issueId, subscriberId },
          UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async *pages(issueId: string): AsyncIterable<SendRecord[]> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'issueId = :issueId',
          ExpressionAttributeValues: { ':issueId': issueId },
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
