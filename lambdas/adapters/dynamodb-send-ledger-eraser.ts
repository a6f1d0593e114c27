import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SendLedgerEraser } from '#core/subscribers/ports.ts';

/** What replaces a ledger record's error text once its subscriber is forgotten. */
export const ERASED_ERROR = 'erased with the subscriber';

/**
 * Erases what the send ledger (`issueId` + `subscriberId` records) could hold of an address:
 * the mail service's error text, which may quote it. Ids, statuses, SES message ids and times
 * stay, so an issue's counts do not change: no record is deleted or changes status, and the
 * counter items that `DynamoDbSendLedger` keeps in the same table (sort keys `#count#…`, never
 * a subscriber id, no error text) are passed over. It scans the table: forgetting is rare, and
 * an index by subscriber would cost on every send.
 */
export class DynamoDbSendLedgerEraser implements SendLedgerEraser {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async eraseSubscriber(subscriberId: string): Promise<number> {
    let changed = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({
          TableName: this.table,
          FilterExpression: 'subscriberId = :id AND attribute_exists(#error)',
          ExpressionAttributeNames: { '#error': 'error' },
          ExpressionAttributeValues: { ':id': subscriberId },
          ProjectionExpression: 'issueId, subscriberId',
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        try {
          await this.client.send(
            new UpdateCommand({
              TableName: this.table,
              Key: { issueId: item.issueId, subscriberId: item.subscriberId },
              UpdateExpression: 'SET #error = :erased',
              ConditionExpression: 'attribute_exists(#error)',
              ExpressionAttributeNames: { '#error': 'error' },
              ExpressionAttributeValues: { ':erased': ERASED_ERROR },
            }),
          );
          changed++;
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return changed;
  }
}
