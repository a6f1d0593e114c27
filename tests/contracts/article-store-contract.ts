import { describe, expect, it } from 'vitest';
import type { ArticleStore } from '#core/articles/ports.ts';
import { article } from '../unit/support/articles.ts';

/** What every `ArticleStore` promises; `makeSubject` gives an empty store each time. */
export function describeArticleStoreContract(
  name: string,
  makeSubject: () => ArticleStore | Promise<ArticleStore>,
) {
  describe(`${name} keeps the ArticleStore contract`, () => {
    it('gives back an article as it was put, with every optional field', async () => {
      const store = await makeSubject();
      const full = article('ferry-choir', '2026-11-01T08:00:00.000Z', {
        url: 'https://news.example.com/ferry-choir',
        tags: ['music', 'harbour'],
        lead: {
          images: [{ caption: 'The choir', credit: 'Ana Ribeiro', width: 600, height: 400 }],
          paragraphs: ['They sing on the 7:40.'],
        },
        slides: [
          {
            title: 'Rehearsal',
            image: { credit: 'Example Pictures', url: 'https://img.example.com/1.jpg' },
            paragraphs: ['Between two stops.'],
          },
        ],
      });

      await store.putAll([full]);

      expect(await store.getMany(['ferry-choir'])).toEqual([full]);
    });

    it('gets articles in the order asked, leaving out unknown ids', async () => {
      const store = await makeSubject();
      await store.putAll([
        article('x-1', '2026-11-01T00:00:00Z'),
        article('x-2', '2026-11-02T00:00:00Z'),
      ]);

      const found = await store.getMany(['x-2', 'missing', 'x-1']);

      expect(found.map((a) => a.id)).toEqual(['x-2', 'x-1']);
      expect(await store.getMany([])).toEqual([]);
    });

    it('replaces an article put again under the same id, keeping one', async () => {
      const store = await makeSubject();
      await store.putAll([article('story', '2026-11-01T00:00:00Z')]);

      const edited = article('story', '2026-11-01T00:00:00Z', { headline: 'Corrected headline' });
      await store.putAll([edited]);
      await store.putAll([edited]);

      expect(await store.list()).toEqual([edited]);
    });

    it('stores a large import whole and lists it newest first', async () => {
      const store = await makeSubject();
      const articles = Array.from({ length: 60 }, (_, i) =>
        article(`story-${i}`, new Date(Date.UTC(2026, 0, 1 + i)).toISOString()),
      );

      await store.putAll(articles);

      expect(await store.list()).toEqual([...articles].reverse());
    });

    it('orders by instant, whatever offset a date carries', async () => {
      const store = await makeSubject();
      // 10:00 at +02:00 is 08:00Z: an hour before the other, though it sorts after as text.
      const earlier = article('with-offset', '2026-11-01T10:00:00+02:00');
      const later = article('in-utc', '2026-11-01T09:00:00Z');

      await store.putAll([earlier, later]);

      expect((await store.list()).map((a) => a.id)).toEqual(['in-utc', 'with-offset']);
    });

    it('hands out copies: changing what it returned or was given changes nothing stored', async () => {
      const store = await makeSubject();
      const original = article('story', '2026-11-01T00:00:00Z');
      const given = structuredClone(original);
      await store.putAll([given]);

      given.headline = 'Changed by the caller';
      const [got] = await store.getMany(['story']);
      got?.lead.paragraphs.push('Changed too.');

      expect(await store.list()).toEqual([original]);
    });
  });
}
