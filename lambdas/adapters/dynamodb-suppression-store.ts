import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Suppression, SuppressionStore } from '#core/subscribers/ports.ts';

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
    if (!result.Item) return undefined;
    const { reason, detail, at } = result.Item as Suppression;
    return { reason, detail, at };
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
