import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { SendLease, SendLeases } from '#core/sending/ports.ts';
import { issueItemsWithPrefix } from './issue-items-with-prefix.ts';
import { parseItem } from './parse-item.ts';

/**
 * The sort key prefix of lease items, `#lease#<holder>`, in the issue's partition of the sends
 * table: `#` sorts before every character a subscriber id holds (`[0-9A-Za-z_-]`), so lease
 * items never fall among the records, and the ledger's queries, which begin after `#` items,
 * never read them.
 */
const LEASE_PREFIX = '#lease#';

const leaseSchema = z.object({
  holder: z.string().min(1),
  since: z.iso.datetime(),
  until: z.iso.datetime(),
}) satisfies z.ZodType<SendLease>;

/**
 * The senders' leases in DynamoDB: one item per (issue, holder) in the send ledger's table
 * (`issueId`, `subscriberId` = `#lease#<holder>`). Every write is conditional on the stored
 * term, so a write that arrives late, after a newer one of the same holder, changes nothing.
 * The table has no TTL: a lease that a sender never released (it died) stays as an expired
 * item, one per dead container and issue, which `list` returns and waiting ignores.
 */
/** How long a lease its sender never released is kept after its end (DynamoDB's TTL). */
const LEFTOVER_SECONDS = 24 * 60 * 60;

export class DynamoDbSendLeases implements SendLeases {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async hold(issueId: string, lease: SendLease): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            issueId,
            subscriberId: `${LEASE_PREFIX}${lease.holder}`,
            holder: lease.holder,
            since: lease.since,
            until: lease.until,
            // Gone a day after its end, should its sender never release it.
            expiresAt: Math.ceil(Date.parse(lease.until) / 1000) + LEFTOVER_SECONDS,
          },
          // ISO 8601 times in UTC, as `toISOString` writes them, compare as strings.
          ConditionExpression: 'attribute_not_exists(#until) OR #until <= :until',
          ExpressionAttributeNames: { '#until': 'until' },
          ExpressionAttributeValues: { ':until': lease.until },
        }),
      );
      return true;
    } catch (error) {
      // A term that ends later is stored: it stays.
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async release(issueId: string, lease: SendLease): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { issueId, subscriberId: `${LEASE_PREFIX}${lease.holder}` },
          ConditionExpression: '#since = :since',
          ExpressionAttributeNames: { '#since': 'since' },
          ExpressionAttributeValues: { ':since': lease.since },
        }),
      );
    } catch (error) {
      // Another term is stored, or none: nothing of this term to remove.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async list(issueId: string): Promise<SendLease[]> {
    const leases: SendLease[] = [];
    for await (const item of issueItemsWithPrefix(this.client, this.table, issueId, LEASE_PREFIX)) {
      const { holder, since, until } = parseItem(leaseSchema, item, this.table, [
        'issueId',
        'subscriberId',
      ]);
      leases.push({ holder, since, until });
    }
    return leases;
  }
}
