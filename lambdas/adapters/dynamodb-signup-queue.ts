import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { DueConfirmation, SignupQueue, SignupRequest } from '#core/subscribers/ports.ts';
import { parseItem } from './parse-item.ts';

type Line = 'request' | 'due';

/**
 * The sign-up queue in DynamoDB (`tables.signups`): the requests under `queue` = `request`,
 * the confirmations due under `queue` = `due`, each sorted by `id` and read with consistent
 * queries. Every entry carries `expiresAt`, its `eraseAfter` in seconds: the table's time to
 * live. An entry that is not a sign-up says so in `kind`; one without it is a sign-up.
 */
export class DynamoDbSignupQueue implements SignupQueue {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  addRequest(request: SignupRequest): Promise<void> {
    const { id, requestedAt, kind, email, name, eraseAfter } = request;
    return this.put('request', {
      id,
      requestedAt,
      ...(kind ? { kind } : {}),
      email,
      ...(name ? { name } : {}),
      eraseAfter,
    });
  }

  async oldestRequests(limit: number): Promise<SignupRequest[]> {
    return (await this.oldest('request', limit)).map((item) =>
      parseItem(requestSchema, item, this.table, ['queue', 'id']),
    );
  }

  removeRequest(id: string): Promise<void> {
    return this.remove('request', id);
  }

  addDue(confirmation: DueConfirmation): Promise<void> {
    const { id, kind, subscriberId, requestedAt, eraseAfter } = confirmation;
    return this.put('due', {
      id,
      ...(kind ? { kind } : {}),
      subscriberId,
      requestedAt,
      eraseAfter,
    });
  }

  async oldestDue(limit: number): Promise<DueConfirmation[]> {
    return (await this.oldest('due', limit)).map((item) =>
      parseItem(dueSchema, item, this.table, ['queue', 'id']),
    );
  }

  removeDue(id: string): Promise<void> {
    return this.remove('due', id);
  }

  private async put(queue: Line, entry: Record<string, unknown> & { eraseAfter: string }) {
    const expiresAt = Math.floor(Date.parse(entry.eraseAfter) / 1000);
    await this.client.send(
      new PutCommand({ TableName: this.table, Item: { queue, ...entry, expiresAt } }),
    );
  }

  private async oldest(queue: Line, limit: number): Promise<Record<string, unknown>[]> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: '#queue = :queue',
        ExpressionAttributeNames: { '#queue': 'queue' },
        ExpressionAttributeValues: { ':queue': queue },
        ScanIndexForward: true,
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return result.Items ?? [];
  }

  private async remove(queue: Line, id: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.table, Key: { queue, id } }));
  }
}

/** Absent on a sign-up, and on every entry stored before there was another kind. */
const kindSchema = z.literal('leave-link').optional();

const requestSchema = z.object({
  id: z.string().min(1),
  requestedAt: z.string(),
  kind: kindSchema,
  email: z.string().min(1),
  name: z.string().optional(),
  eraseAfter: z.string(),
}) satisfies z.ZodType<SignupRequest>;

const dueSchema = z.object({
  id: z.string().min(1),
  kind: kindSchema,
  subscriberId: z.string().min(1),
  requestedAt: z.string(),
  eraseAfter: z.string(),
}) satisfies z.ZodType<DueConfirmation>;
