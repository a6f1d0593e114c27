import type { Article } from './article.ts';

/** Where articles live (DynamoDB on AWS and locally). */
export interface ArticleStore {
  /** Stores articles by `id`, replacing any with the same id. Idempotent. */
  putAll(articles: readonly Article[]): Promise<void>;
  /** The stored articles with these ids, in the order asked (missing ids are left out). */
  getMany(ids: readonly string[]): Promise<Article[]>;
  /** Every stored article, newest `publishedAt` first (by instant, whatever the offset). */
  list(): Promise<Article[]>;
}
