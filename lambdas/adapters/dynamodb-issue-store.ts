import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { IssueNotFoundError } from '#core/issues/issue-not-found-error.ts';
import type {
  Approval,
  Issue,
  IssueChanges,
  IssueMove,
  IssueStore,
  SendingSlot,
} from '#core/issues/ports.ts';
import { parseItem } from './parse-item.ts';

const issueSchema = z.object({
  issueId: z.string().min(1),
  createdAt: z.string(),
  subject: z.string(),
  articleIds: z.array(z.string()),
  state: z.enum(['draft', 'scheduled', 'sending', 'paused', 'sent', 'cancelled']),
  version: z.number().int().positive(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  renderedAt: z.string(),
  preheader: z.string().optional(),
  intro: z.string().optional(),
  startedAt: z.string().optional(),
  scheduledAt: z.string().optional(),
  mailedNobody: z.boolean().optional(),
  timeline: z.array(
    z.object({
      at: z.string(),
      actor: z.string(),
      action: z.string(),
      detail: z.string().optional(),
    }),
  ),
  rate: z.number().optional(),
  preparedAt: z.string().optional(),
  prepareCursor: z.string().optional(),
  images: z
    .object({
      count: z.number().int().nonnegative(),
      measured: z.number().int().nonnegative(),
      bytes: z.number().int().nonnegative(),
      unmeasured: z.number().int().nonnegative(),
      missing: z.number().int().nonnegative(),
    })
    .optional(),
  heldBy: z
    .object({
      reason: z.literal('events-dead-letter-queue'),
      unknown: z.number().int().nonnegative(),
      at: z.string(),
    })
    .optional(),
  canary: z
    .object({
      percent: z.number().gt(0).max(100),
      recipients: z.number().int().nonnegative().optional(),
      until: z.string().optional(),
      endedAt: z.string().optional(),
    })
    .optional(),
  rateBaseline: z
    .object({
      sent: z.number().int().nonnegative(),
      bouncedPermanent: z.number().int().nonnegative(),
      complained: z.number().int().nonnegative(),
    })
    .optional(),
}) satisfies z.ZodType<Issue>;

/**
 * The key of the list's sending slot in the issues table: not a ULID, so never an issue's.
 * One item, so that one conditional write decides which issue the list sends.
 */
const SLOT_KEY = '#sending';

/** The key of the list's approval: the one draft version the schedule may send. */
const APPROVAL_KEY = '#approved';

const approvalSchema = z.object({
  issueId: z.literal(APPROVAL_KEY),
  holder: z.string(),
  version: z.number().int().positive(),
  at: z.string(),
  actor: z.string(),
});

const slotSchema = z.object({
  issueId: z.literal(SLOT_KEY),
  holder: z.string(),
  since: z.string(),
});

/** Issues in DynamoDB keyed by `issueId`, and the list's sending slot beside them. */
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
    if (issueId === SLOT_KEY || issueId === APPROVAL_KEY) return undefined;
    const result = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { issueId }, ConsistentRead: true }),
    );
    return result.Item && this.toIssue(result.Item);
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
      for (const item of page.Items ?? []) {
        if (item.issueId !== SLOT_KEY && item.issueId !== APPROVAL_KEY) {
          issues.push(this.toIssue(item));
        }
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    // ULIDs sort by creation time: newest first.
    return issues.sort((a, b) => b.issueId.localeCompare(a.issueId));
  }

  async move(issueId: string, move: IssueMove): Promise<Issue | undefined> {
    const names: Record<string, string> = { '#state': 'state', '#timeline': 'timeline' };
    const values: Record<string, unknown> = { ':to': move.to, ':entry': [move.entry] };
    const set = ['#state = :to', '#timeline = list_append(#timeline, :entry)'];
    const remove: string[] = [];
    for (const [index, [field, value]] of Object.entries(move.changes ?? {}).entries()) {
      if (value === undefined) continue;
      names[`#f${index}`] = field;
      if (value === null) {
        remove.push(`#f${index}`);
        continue;
      }
      values[`:v${index}`] = value;
      set.push(`#f${index} = :v${index}`);
    }
    const from = move.from.map((state, index) => {
      values[`:from${index}`] = state;
      return `:from${index}`;
    });
    const conditions = [`#state IN (${from.join(', ')})`];
    if (move.version !== undefined) {
      names['#version'] = 'version';
      values[':version'] = move.version;
      conditions.push('#version = :version');
    }
    if (move.canary !== undefined) {
      names['#canary'] = 'canary';
      names['#endedAt'] = 'endedAt';
      conditions.push('attribute_exists(#canary)', 'attribute_not_exists(#canary.#endedAt)');
      if (move.canary === 'unpicked') {
        names['#until'] = 'until';
        conditions.push('attribute_not_exists(#canary.#until)');
      }
    }
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { issueId },
          UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return result.Attributes && this.toIssue(result.Attributes);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // The failed condition covers an issue in another state and one that is not there.
      if (await this.get(issueId)) return undefined;
      throw new IssueNotFoundError(issueId);
    }
  }

  async update(
    issueId: string,
    changes: IssueChanges,
    expected?: { prepareCursor: string | null },
  ): Promise<boolean> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const set: string[] = [];
    const remove: string[] = [];
    for (const [index, [field, value]] of Object.entries(changes).entries()) {
      if (value === undefined) continue;
      names[`#f${index}`] = field;
      if (value === null) {
        remove.push(`#f${index}`);
      } else {
        values[`:v${index}`] = value;
        set.push(`#f${index} = :v${index}`);
      }
    }
    if (set.length + remove.length === 0) return true;
    const conditions = ['attribute_exists(issueId)'];
    if (expected) {
      names['#cursor'] = 'prepareCursor';
      if (expected.prepareCursor === null) {
        conditions.push('attribute_not_exists(#cursor)');
      } else {
        values[':cursor'] = expected.prepareCursor;
        conditions.push('#cursor = :cursor');
      }
    }
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { issueId },
          UpdateExpression: [
            set.length > 0 ? `SET ${set.join(', ')}` : '',
            remove.length > 0 ? `REMOVE ${remove.join(', ')}` : '',
          ]
            .join(' ')
            .trim(),
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: names,
          ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
        }),
      );
      return true;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // One failed condition covers both a lost race and an issue that is not there; only the
      // race is an answer, the missing issue is a mistake of the caller's.
      if (expected && (await this.get(issueId))) return false;
      throw new IssueNotFoundError(issueId);
    }
  }

  async takeSendingSlot(
    issueId: string,
    at: string,
    replacing?: SendingSlot,
  ): Promise<SendingSlot | undefined> {
    let expected = replacing;
    // A slot freed between the write and the read is taken on the next try.
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.client.send(
          new PutCommand({
            TableName: this.table,
            Item: { issueId: SLOT_KEY, holder: issueId, since: at },
            ...(expected
              ? {
                  ConditionExpression:
                    'attribute_not_exists(issueId) OR (holder = :holder AND since = :since)',
                  ExpressionAttributeValues: {
                    ':holder': expected.issueId,
                    ':since': expected.since,
                  },
                }
              : { ConditionExpression: 'attribute_not_exists(issueId)' }),
          }),
        );
        return undefined;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
      const held = await this.sendingSlot();
      if (held) return held;
      expected = undefined;
    }
    throw new Error(`${this.table}: the sending slot kept changing while it was taken`);
  }

  async releaseSendingSlot(issueId: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { issueId: SLOT_KEY },
          ConditionExpression: 'holder = :holder',
          ExpressionAttributeValues: { ':holder': issueId },
        }),
      );
    } catch (error) {
      // Another issue holds the slot, or none does: nothing of this issue's to free.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async approve(approval: Approval): Promise<void> {
    const { issueId, ...rest } = approval;
    await this.client.send(
      new PutCommand({
        TableName: this.table,
        Item: { issueId: APPROVAL_KEY, holder: issueId, ...rest },
      }),
    );
  }

  async approval(): Promise<Approval | undefined> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.table,
        Key: { issueId: APPROVAL_KEY },
        ConsistentRead: true,
      }),
    );
    if (!result.Item) return undefined;
    const { holder, version, at, actor } = parseItem(approvalSchema, result.Item, this.table, [
      'issueId',
    ]);
    return { issueId: holder, version, at, actor };
  }

  async clearApproval(issueId: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { issueId: APPROVAL_KEY },
          ConditionExpression: 'holder = :holder',
          ExpressionAttributeValues: { ':holder': issueId },
        }),
      );
    } catch (error) {
      // Another draft is approved, or none: nothing of this issue's to clear.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  private async sendingSlot(): Promise<SendingSlot | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.table, Key: { issueId: SLOT_KEY }, ConsistentRead: true }),
    );
    if (!result.Item) return undefined;
    const slot = parseItem(slotSchema, result.Item, this.table, ['issueId']);
    return { issueId: slot.holder, since: slot.since };
  }

  private toIssue(item: Record<string, unknown>): Issue {
    return parseItem(issueSchema, item, this.table, ['issueId']);
  }
}
