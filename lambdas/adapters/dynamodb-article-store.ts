import {
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  type DynamoDBDocumentClient,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { type Article, articleSchema } from '#core/articles/article.ts';
import type { ArticleStore } from '#core/articles/ports.ts';
import { batchGetAll } from './dynamodb-batch.ts';
import { parseItem } from './parse-item.ts';

const BATCH_WRITE_LIMIT = 25;

/** Articles in DynamoDB, one item per article keyed by `id`. */
export class DynamoDbArticleStore implements ArticleStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async putAll(articles: readonly Article[]): Promise<void> {
    for (let start = 0; start < articles.length; start += BATCH_WRITE_LIMIT) {
      let requests: Record<string, unknown>[] | undefined = articles
        .slice(start, start + BATCH_WRITE_LIMIT)
        .map((article) => ({ PutRequest: { Item: article } }));
      // Each put replaces the whole item, so retrying what DynamoDB left unprocessed is safe.
      for (let attempt = 0; requests && requests.length > 0; attempt++) {
        if (attempt > 0) await delay(Math.min(1000, 50 * 2 ** attempt));
        const result: BatchWriteCommandOutput = await this.client.send(
          new BatchWriteCommand({ RequestItems: { [this.table]: requests } }),
        );
        requests = result.UnprocessedItems?.[this.table];
      }
    }
  }

  async getMany(ids: readonly string[]): Promise<Article[]> {
    const items = await batchGetAll(
      this.client,
      this.table,
      ids.map((id) => ({ id })),
    );
    const byId = new Map(items.map((item) => [item.id, this.toArticle(item)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  async list(): Promise<Article[]> {
    const articles: Article[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({ TableName: this.table, ExclusiveStartKey: startKey }),
      );
      for (const item of page.Items ?? []) articles.push(this.toArticle(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return articles.sort(
      (a, b) => Date.parse(b.publishedAt) - Date.parse(a.publishedAt) || a.id.localeCompare(b.id),
    );
  }

  private toArticle(item: Record<string, unknown>): Article {
    return parseItem(articleSchema, item, this.table, ['id']);
  }
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
