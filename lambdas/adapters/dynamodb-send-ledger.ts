import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { SendLedger, SendRecord } from '#core/ports.ts';

/** The send ledger in DynamoDB: one item per (issueId, subscriberId). */
export class DynamoDbSendLedger implements SendLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async claim(issueId: string, subscriberId: string, at: string): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { issueId, subscriberId, status: 'claimed', updatedAt: at },
          ConditionExpression: 'attribute_not_exists(subscriberId)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async complete(
    issueId: string,
    subscriberId: string,
    outcome: { status: 'sent'; messageId: string } | { status: 'failed'; error: string },
    at: string,
  ): Promise<void> {
    const detail = outcome.status === 'sent' ? 'messageId' : 'error';
    const value = outcome.status === 'sent' ? outcome.messageId : outcome.error;
    await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { issueId, subscriberId },
        UpdateExpression: 'SET #status = :status, #detail = :detail, updatedAt = :at',
        ConditionExpression: '#status = :claimed',
        ExpressionAttributeNames: { '#status': 'status', '#detail': detail },
        ExpressionAttributeValues: {
          ':status': outcome.status,
          ':detail': value,
          ':at': at,
          ':claimed': 'claimed',
        },
      }),
    );
  }

  async release(issueId: string, subscriberId: string): Promise<void> {
    await this.client.send(
      new DeleteCommand({
        TableName: this.table,
        Key: { issueId, subscriberId },
        ConditionExpression: '#status = :claimed',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':claimed': 'claimed' },
      }),
    );
  }

  async list(issueId: string): Promise<SendRecord[]> {
    const records: SendRecord[] = [];
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
      records.push(...((page.Items ?? []) as SendRecord[]));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return records;
  }
}
