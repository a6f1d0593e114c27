import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { AuditRecord } from '#core/audit/audit-record.ts';
import type { AuditQuery, AuditTrail } from '#core/audit/audit-trail.ts';
import { parseItem } from './parse-item.ts';

/** The one partition every record is in (see `tables.audit`). */
const TRAIL = 'audit';

const recordSchema = z.object({
  at: z.string(),
  id: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string().optional(),
  outcome: z.object({
    result: z.enum(['ok', 'refused', 'failed']),
    status: z.number().optional(),
    exitCode: z.number().optional(),
    code: z.string().optional(),
  }),
}) satisfies z.ZodType<AuditRecord>;

/**
 * The audit trail in its DynamoDB table (`tables.audit`): one partition, `trail` = `audit`,
 * sorted by `atId` = `<at>#<id>`, so that one Query lists the records from a time on.
 */
export class DynamoDbAuditTrail implements AuditTrail {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async record(record: AuditRecord): Promise<void> {
    const { at, id, actor, action, target, outcome } = record;
    await this.client.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          trail: TRAIL,
          atId: `${at}#${id}`,
          at,
          id,
          actor,
          action,
          ...(target === undefined ? {} : { target }),
          outcome: { ...outcome },
        },
      }),
    );
  }

  async list(query: AuditQuery = {}): Promise<AuditRecord[]> {
    const records: AuditRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const left = query.limit === undefined ? undefined : query.limit - records.length;
      if (left !== undefined && left <= 0) break;
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression:
            query.since === undefined ? '#trail = :trail' : '#trail = :trail AND #atId >= :since',
          ExpressionAttributeNames: {
            '#trail': 'trail',
            ...(query.since === undefined ? {} : { '#atId': 'atId' }),
          },
          ExpressionAttributeValues: {
            ':trail': TRAIL,
            ...(query.since === undefined ? {} : { ':since': query.since }),
          },
          ScanIndexForward: false,
          ConsistentRead: true,
          ...(left === undefined ? {} : { Limit: left }),
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      // The schema drops the keys, which repeat `at` and `id`.
      for (const item of page.Items ?? []) {
        records.push(parseItem(recordSchema, item, this.table, ['trail', 'atId']));
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return records;
  }
}
