import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { Suppression, SuppressionStore } from '#core/subscribers/ports.ts';
import { parseItem } from './parse-item.ts';

/** A suppression as stored, in its own table and on a subscriber. */
export const suppressionSchema = z.object({
  reason: z.enum(['bounce', 'complaint', 'unsubscribed', 'forgotten']),
  detail: z.string(),
  at: z.string(),
}) satisfies z.ZodType<Suppression>;

/** Suppressed addresses in DynamoDB, keyed by `addressHash`; no address is stored. */
export class DynamoDbSuppressionStore implements SuppressionStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(addressHash: string): Promise<Suppression | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { addressHash }, ConsistentRead: true }),
    );
    return result.Item && parseItem(suppressionSchema, result.Item, this.table, ['addressHash']);
  }

  async put(addressHash: string, suppression: Suppression): Promise<void> {
    const { reason, detail, at } = suppression;
    await this.client.send(
      new PutCommand({ TableName: this.table, Item: { addressHash, reason, detail, at } }),
    );
  }

  async delete(addressHash: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.table, Key: { addressHash } }));
  }
}
