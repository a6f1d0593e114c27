import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { RateCount, RateCounters } from '#core/subscribers/ports.ts';
import { parseItem } from './parse-item.ts';

/** Tries of a count that windows opening and closing at the same moment keep refusing. */
const MAX_TRIES = 5;

/**
 * Counters in DynamoDB, one item per key: `{ counter, hits, expiresAt }`, `expiresAt` being
 * the end of the item's window in seconds since the epoch, which is also the table's time to
 * live. Each count is one conditional update, so that instances counting at once never count
 * past the limit: it adds one while the window is open and under the limit, else opens a new
 * window if the last one has closed (whether or not DynamoDB has deleted its item yet, which
 * it does within days, and the local DynamoDB never), else reads when the window closes.
 */
export class DynamoDbRateCounters implements RateCounters {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async count(key: string, limit: number, windowSeconds: number, now: Date): Promise<RateCount> {
    const seconds = Math.floor(now.getTime() / 1000);
    for (let tries = 0; tries < MAX_TRIES; tries++) {
      const added = await this.updateIf(key, {
        UpdateExpression: 'SET hits = hits + :one',
        ConditionExpression: 'expiresAt > :now AND hits < :limit',
        ExpressionAttributeValues: { ':one': 1, ':now': seconds, ':limit': limit },
      });
      if (added) return { counted: true };
      const opened = await this.updateIf(key, {
        UpdateExpression: 'SET hits = :one, expiresAt = :end',
        ConditionExpression: 'attribute_not_exists(expiresAt) OR expiresAt <= :now',
        ExpressionAttributeValues: { ':one': 1, ':now': seconds, ':end': seconds + windowSeconds },
      });
      if (opened) return { counted: true };
      const item = await this.client.send(
        new GetCommand({ TableName: this.table, Key: { counter: key }, ConsistentRead: true }),
      );
      if (item.Item) {
        const { hits, expiresAt } = parseItem(counterSchema, item.Item, this.table, ['counter']);
        if (expiresAt > seconds && hits >= limit) {
          return { counted: false, until: new Date(expiresAt * 1000) };
        }
      }
      // Another instance opened or closed the window between the writes: count again.
    }
    throw new Error(`the counter ${key} in ${this.table} kept changing while it was counted`);
  }

  private async updateIf(
    key: string,
    input: Pick<
      ConstructorParameters<typeof UpdateCommand>[0],
      'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeValues'
    >,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({ TableName: this.table, Key: { counter: key }, ...input }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}

const counterSchema = z.object({ hits: z.number().int(), expiresAt: z.number().int() });
