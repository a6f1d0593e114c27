import type { Article, ArticleInput } from '#core/articles/article.ts';

/**
 * A minimal stored article: a headline derived from its id and one intro paragraph, with
 * `changes` laid over it.
 */
export function article(id: string, publishedAt: string, changes: Partial<Article> = {}): Article {
  return {
    id,
    headline: `Headline of ${id}`,
    publishedAt,
    lead: { images: [], paragraphs: ['Intro.'] },
    slides: [],
    ...changes,
  };
}

/** Every text field of an article, for checks that apply to all of them. */
export const textsOf = (article: ArticleInput): string[] => [
  article.headline,
  ...article.lead.paragraphs,
  ...article.lead.images.flatMap((image) => [image.caption ?? '', image.credit ?? '']),
  ...article.slides.flatMap((slide) => [
    slide.title,
    slide.image?.caption ?? '',
    slide.image?.credit ?? '',
    ...slide.paragraphs,
  ]),
];
