import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbArticleStore } from '#adapters/dynamodb-article-store.ts';
import { DynamoDbIssueStore } from '#adapters/dynamodb-issue-store.ts';
import { DynamoDbSubscriberStore } from '#adapters/dynamodb-subscriber-store.ts';
import { tables } from '#adapters/tables.ts';
import type { Article } from '#core/articles/article.ts';
import { startProvisionedAws } from './support/local-aws.ts';

let local: Awaited<ReturnType<typeof startProvisionedAws>>;
beforeAll(async () => {
  local = await startProvisionedAws();
});
afterAll(() => local.stop());

function article(id: string, publishedAt: string): Article {
  return {
    id,
    headline: `Headline ${id}`,
    publishedAt,
    lead: { images: [{ credit: 'Ana Ribeiro/Example Pictures' }], paragraphs: ['Intro'] },
    slides: [{ title: 'A beat', paragraphs: [] }],
  };
}

describe('DynamoDbArticleStore', () => {
  it('stores more articles than one batch holds and lists them newest first', async () => {
    const store = new DynamoDbArticleStore(local.documents, tables.articles.localName);
    const articles = Array.from({ length: 30 }, (_, i) =>
      article(`story-${i}`, new Date(Date.UTC(2026, 10, 1 + i)).toISOString()),
    );

    await store.putAll(articles);

    const listed = await store.list();
    expect(listed).toHaveLength(30);
    expect(listed[0]).toEqual(articles[29]);
    expect(listed.at(-1)).toEqual(articles[0]);
  });

  it('gets articles by id in the order asked, leaving out unknown ids', async () => {
    const store = new DynamoDbArticleStore(local.documents, tables.articles.localName);
    await store.putAll([
      article('x-1', '2026-11-01T00:00:00Z'),
      article('x-2', '2026-11-02T00:00:00Z'),
    ]);

    const found = await store.getMany(['x-2', 'missing', 'x-1']);

    expect(found.map((a) => a.id)).toEqual(['x-2', 'x-1']);
  });
});

describe('DynamoDbSubscriberStore', () => {
  it('keeps the first subscriber of an address, whatever its case', async () => {
    const store = new DynamoDbSubscriberStore(local.documents, tables.subscribers.localName);
    const first = {
      id: '01JFIRST000000000000000000',
      email: 'Reader@Example.com',
      status: 'active' as const,
      source: 'cli',
      createdAt: '2026-11-01T00:00:00Z',
    };
    await store.add(first);

    const again = await store.add({
      ...first,
      id: '01JSECOND00000000000000000',
      email: 'reader@example.com',
    });

    expect(again).toEqual({ subscriber: first, created: false });
    expect(
      (await store.list()).filter((s) => s.email.toLowerCase() === 'reader@example.com'),
    ).toEqual([first]);
  });
});

describe('DynamoDbIssueStore', () => {
  it('creates an issue once, lists newest first and marks it done', async () => {
    const store = new DynamoDbIssueStore(local.documents, tables.issues.localName);
    const older = {
      issueId: '01JA0000000000000000000000',
      createdAt: '2026-11-01T00:00:00Z',
      subject: 'Older',
      articleIds: ['a'],
      status: 'sending' as const,
    };
    const newer = { ...older, issueId: '01JB0000000000000000000000', subject: 'Newer' };
    await store.create(older);
    await store.create(newer);

    await store.markDone(older.issueId);

    await expect(store.create(older)).rejects.toThrow();
    expect((await store.list()).map((i) => [i.subject, i.status])).toEqual([
      ['Newer', 'sending'],
      ['Older', 'done'],
    ]);
  });
});
