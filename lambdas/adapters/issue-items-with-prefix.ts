import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';

/**
 * The items of one issue in the sends table whose sort key begins with `prefix` (`#count#`,
 * `#lease#`: what sits beside the ledger's records), read strongly consistent, a page at a
 * time.
 */
export async function* issueItemsWithPrefix(
  client: DynamoDBDocumentClient,
  table: string,
  issueId: string,
  prefix: string,
): AsyncGenerator<Record<string, unknown>> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'issueId = :issueId AND begins_with(subscriberId, :prefix)',
        ExpressionAttributeValues: { ':issueId': issueId, ':prefix': prefix },
        ExclusiveStartKey: startKey,
        ConsistentRead: true,
      }),
    );
    yield* page.Items ?? [];
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}
