import { describe, expect, it } from 'vitest';
import type { Article } from '#core/articles/article.ts';
import {
  ImportConflictError,
  importArticles,
  type ParsedArticle,
} from '#core/articles/import-articles.ts';
import { MemoryArticleStore } from '../fakes/memory-stores.ts';

function article(id: string, headline: string, publishedAt: string): Article {
  return {
    id,
    headline,
    publishedAt,
    lead: { images: [], paragraphs: ['An intro.'] },
    slides: [],
  };
}

function parsed(a: Article, overrides: Partial<ParsedArticle> = {}): ParsedArticle {
  return {
    article: a,
    source: `${a.id}.txt`,
    idDerived: true,
    publishedAtGiven: false,
    ...overrides,
  };
}

describe('importArticles', () => {
  it('stores new articles', async () => {
    const store = new MemoryArticleStore();

    await importArticles(store, [
      parsed(article('a-story', 'A story', '2026-11-01T00:00:00.000Z')),
    ]);

    expect([...store.items.keys()]).toEqual(['a-story']);
  });

  it('stores nothing on a dry run', async () => {
    const store = new MemoryArticleStore();

    const result = await importArticles(
      store,
      [parsed(article('a-story', 'A story', '2026-11-01T00:00:00.000Z'))],
      { dryRun: true },
    );

    expect(result).toHaveLength(1);
    expect(store.items.size).toBe(0);
  });

  it('keeps the original publishedAt when a correction gives none', async () => {
    const store = new MemoryArticleStore();
    await store.putAll([article('a-story', 'A story', '2026-11-01T00:00:00.000Z')]);
    const corrected = article('a-story', 'A story', '2026-11-20T00:00:00.000Z');
    corrected.lead.paragraphs = ['A corrected intro.'];

    await importArticles(store, [parsed(corrected)]);

    expect(store.items.get('a-story')).toMatchObject({
      publishedAt: '2026-11-01T00:00:00.000Z',
      lead: { paragraphs: ['A corrected intro.'] },
    });
  });

  it('takes the new publishedAt when the correction gives one', async () => {
    const store = new MemoryArticleStore();
    await store.putAll([article('a-story', 'A story', '2026-11-01T00:00:00.000Z')]);

    await importArticles(store, [
      parsed(article('a-story', 'A story', '2026-11-20T00:00:00.000Z'), { publishedAtGiven: true }),
    ]);

    expect(store.items.get('a-story')?.publishedAt).toBe('2026-11-20T00:00:00.000Z');
  });

  it('refuses a derived id that belongs to a stored article of another headline, storing nothing', async () => {
    const store = new MemoryArticleStore();
    await store.putAll([article('a-story', 'A story', '2026-11-01T00:00:00.000Z')]);
    const other = article('a-story', 'A Story!', '2026-11-02T00:00:00.000Z');
    const fresh = article('fresh', 'Fresh', '2026-11-02T00:00:00.000Z');

    const attempt = importArticles(store, [parsed(fresh), parsed(other)]);

    await expect(attempt).rejects.toThrow(/a-story\.txt: .*"A story".*--id/);
    expect(store.items.has('fresh')).toBe(false);
  });

  it('replaces an article of another headline when the id was given on purpose', async () => {
    const store = new MemoryArticleStore();
    await store.putAll([article('a-story', 'A story', '2026-11-01T00:00:00.000Z')]);

    await importArticles(store, [
      parsed(article('a-story', 'A new story', '2026-11-02T00:00:00.000Z'), { idDerived: false }),
    ]);

    expect(store.items.get('a-story')?.headline).toBe('A new story');
  });

  it('refuses one id twice in the same import, naming both sources', async () => {
    const store = new MemoryArticleStore();
    const first = parsed(article('same', 'Same', '2026-11-01T00:00:00.000Z'), {
      source: 'one.txt',
    });
    const second = parsed(article('same', 'Same', '2026-11-01T00:00:00.000Z'), {
      source: 'two.txt',
    });

    await expect(importArticles(store, [first, second])).rejects.toThrow(ImportConflictError);
    await expect(importArticles(store, [first, second])).rejects.toThrow(/two\.txt.*one\.txt/);
    expect(store.items.size).toBe(0);
  });
});
