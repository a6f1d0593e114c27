import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Issue, IssueStore } from '#core/ports.ts';

/** Issues in DynamoDB keyed by `issueId`. */
export class DynamoDbIssueStore implements IssueStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(issue: Issue): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.table,
        Item: issue,
        ConditionExpression: 'attribute_not_exists(issueId)',
      }),
    );
  }

  async get(issueId: string): Promise<Issue | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { issueId }, ConsistentRead: true }),
    );
    return result.Item as Issue | undefined;
  }

  async list(): Promise<Issue[]> {
    const issues: Issue[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({
          TableName: this.table,
          ExclusiveStartKey: startKey,
          ConsistentRead: true,
        }),
      );
      issues.push(...((page.Items ?? []) as Issue[]));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    // ULIDs sort by creation time: newest first.
    return issues.sort((a, b) => b.issueId.localeCompare(a.issueId));
  }

  async markDone(issueId: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { issueId },
        UpdateExpression: 'SET #status = :done',
        ConditionExpression: 'attribute_exists(issueId)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':done': 'done' },
      }),
    );
  }
}
