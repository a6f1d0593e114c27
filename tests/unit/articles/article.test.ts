import { describe, expect, it } from 'vitest';
import { type Article, articleInputSchema, articleSchema } from '#core/articles/article.ts';
import { isHttpsUrl } from '#core/common/https-url.ts';

const validArticle = (): Article => ({
  id: 'harbour-choir-sings-at-dawn',
  headline: 'Harbour Choir Sings at Dawn',
  publishedAt: '2026-11-20T07:30:00Z',
  lead: { images: [], paragraphs: ['Forty singers boarded the last ferry.'] },
  slides: [
    {
      title: 'The captain joined in.',
      image: { credit: 'Nora Quinn/Example Pictures', url: 'https://images.example.com/a.jpg' },
      paragraphs: [],
    },
  ],
});

describe('isHttpsUrl', () => {
  it('accepts a plain https URL with a host', () => {
    expect(isHttpsUrl('https://images.example.com/choir/deck.jpg?w=600#top')).toBe(true);
  });

  it.each([
    ['javascript: scheme', 'javascript:alert(1)'],
    ['JavaScript: with mixed case', 'JavaScript:alert(1)'],
    ['a data: URL', 'data:image/png;base64,iVBORw0KGgo='],
    ['plain http:', 'http://images.example.com/a.jpg'],
    ['an upper-case HTTPS scheme', 'HTTPS://images.example.com/a.jpg'],
    ['a leading space', ' https://images.example.com/a.jpg'],
    ['a trailing newline', 'https://images.example.com/a.jpg\n'],
    ['a tab inside the scheme', 'ht\ttps://images.example.com/a.jpg'],
    ['a newline inside the scheme', 'https:\n//images.example.com/a.jpg'],
    ['a tab inside the host', 'https://images.exa\tmple.com/a.jpg'],
    ['a backslash after the scheme', 'https:\\\\evil.example.com/'],
    ['a slash and a backslash', 'https:/\\evil.example.com/'],
    ['a scheme with no host', 'https://'],
    ['a relative path', '/images/a.jpg'],
    ['a protocol-relative URL', '//images.example.com/a.jpg'],
    ['an empty string', ''],
  ])('refuses %s', (_name, value) => {
    expect(isHttpsUrl(value)).toBe(false);
  });
});

describe('articleSchema', () => {
  it('accepts a complete article', () => {
    const article = validArticle();

    const result = articleSchema.safeParse(article);

    expect(result.success).toBe(true);
  });

  it('refuses an article with neither a slide nor a lead paragraph', () => {
    const article = { ...validArticle(), slides: [], lead: { images: [], paragraphs: [] } };

    const result = articleSchema.safeParse(article);

    expect(result.error?.issues[0]?.message).toBe(
      'an article needs at least one slide or lead paragraph',
    );
  });

  it('refuses a javascript: image URL and names where it is', () => {
    const article = validArticle();
    article.slides[0] = {
      title: 'Look',
      image: { credit: 'A/B', url: 'javascript:alert(1)' },
      paragraphs: [],
    };

    const result = articleSchema.safeParse(article);

    expect(result.error?.issues[0]).toMatchObject({
      path: ['slides', 0, 'image', 'url'],
      message: 'must be an https: URL',
    });
  });

  it('refuses an http: article URL', () => {
    const article = { ...validArticle(), url: 'http://news.example.com/story' };

    const result = articleSchema.safeParse(article);

    expect(result.error?.issues[0]?.path).toEqual(['url']);
  });

  it('refuses an image with neither a caption nor a credit', () => {
    const article = validArticle();
    article.lead.images = [{ url: 'https://images.example.com/a.jpg' }];

    const result = articleSchema.safeParse(article);

    expect(result.error?.issues[0]?.message).toBe('an image needs a caption or a credit');
  });

  it('refuses a headline made only of spaces', () => {
    const article = { ...validArticle(), headline: ' \u00a0 ' };

    const result = articleSchema.safeParse(article);

    expect(result.error?.issues[0]?.path).toEqual(['headline']);
  });

  it('refuses an id that is not a slug', () => {
    const article = { ...validArticle(), id: 'Harbour Choir' };

    const result = articleSchema.safeParse(article);

    expect(result.error?.issues[0]?.path).toEqual(['id']);
  });

  it('refuses an id longer than 80 characters', () => {
    const article = { ...validArticle(), id: 'a'.repeat(81) };

    const result = articleSchema.safeParse(article);

    expect(result.error?.issues[0]?.path).toEqual(['id']);
  });

  it('refuses a field the model does not know', () => {
    const article = { ...validArticle(), body: '<p>HTML</p>' };

    const result = articleSchema.safeParse(article);

    expect(result.error?.issues[0]?.code).toBe('unrecognized_keys');
  });

  it('refuses a publication time without a zone', () => {
    const article = { ...validArticle(), publishedAt: '2026-11-20T07:30:00' };

    const result = articleSchema.safeParse(article);

    expect(result.error?.issues[0]?.path).toEqual(['publishedAt']);
  });
});

describe('articleInputSchema', () => {
  it('accepts an article without id or publication time and fills in empty lists', () => {
    const input = { headline: 'Short Story', slides: [{ title: 'Only slide' }] };

    const result = articleInputSchema.parse(input);

    expect(result).toEqual({
      headline: 'Short Story',
      lead: { images: [], paragraphs: [] },
      slides: [{ title: 'Only slide', paragraphs: [] }],
    });
  });
});
