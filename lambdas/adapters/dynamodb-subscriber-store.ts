import {
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Subscriber, SubscriberStore } from '#core/ports.ts';

/** Subscribers in DynamoDB keyed by `id`, found by address through the `byEmail` index. */
export class DynamoDbSubscriberStore implements SubscriberStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async add(subscriber: Subscriber): Promise<{ subscriber: Subscriber; created: boolean }> {
    const emailKey = subscriber.email.toLowerCase();
    const existing = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'byEmail',
        KeyConditionExpression: 'emailKey = :emailKey',
        ExpressionAttributeValues: { ':emailKey': emailKey },
        Limit: 1,
      }),
    );
    const found = existing.Items?.[0];
    if (found) return { subscriber: toSubscriber(found), created: false };
    await this.client.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...subscriber, emailKey },
        ConditionExpression: 'attribute_not_exists(id)',
      }),
    );
    return { subscriber, created: true };
  }

  async list(): Promise<Subscriber[]> {
    const subscribers: Subscriber[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({ TableName: this.table, ExclusiveStartKey: startKey }),
      );
      for (const item of page.Items ?? []) subscribers.push(toSubscriber(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    // ULIDs sort by creation time.
    return subscribers.sort((a, b) => a.id.localeCompare(b.id));
  }
}

function toSubscriber(item: Record<string, unknown>): Subscriber {
  const { emailKey: _emailKey, ...subscriber } = item;
  return subscriber as unknown as Subscriber;
}
