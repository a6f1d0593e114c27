import { describe, expect, it } from 'vitest';
import type { Article } from '#core/articles/article.ts';
import {
  type ArticleCosts,
  applyPlan,
  choosePlan,
  compactArticle,
  type PackCosts,
} from '#core/issues/pack-issue.ts';
import { manyArticle } from '../../fixtures/render/issue-fixtures.ts';

/** An article of `slides` slides: 1000 bytes of head and link, 500 bytes a slide. */
function linear(slides: number, { compact = 800, slide = 500 } = {}): ArticleCosts {
  return {
    withSlides: Array.from({ length: slides + 1 }, (_, k) => 1000 + k * slide),
    linkExtra: 0,
    compact,
  };
}

function costs(...articles: ArticleCosts[]): PackCosts {
  return { chrome: 2000, articles };
}

const slidesOf = (plan: { slides: number }[]) => plan.map((choice) => choice.slides);

describe('choosePlan', () => {
  it('shows everything when everything fits', () => {
    const plan = choosePlan(costs(linear(4), linear(2)), [4, 2], 100_000);

    expect(slidesOf(plan)).toEqual([4, 2]);
  });

  it('drops slides from the end of the longest articles first', () => {
    // 2000 + (1000 + 6×500) + (1000 + 2×500) = 8000; the budget leaves 7000.
    const plan = choosePlan(costs(linear(6), linear(2)), [6, 2], 7000);

    expect(slidesOf(plan)).toEqual([4, 2]);
  });

  it('trims every article down to one slide before it drops a whole article', () => {
    // Three articles at one slide each take 2000 + 3 × 1500 = 6500.
    const plan = choosePlan(costs(linear(5), linear(5), linear(5)), [5, 5, 5], 6600);

    expect(slidesOf(plan)).toEqual([1, 1, 1]);
  });

  it('drops whole articles from the end when one slide each is still too much', () => {
    const plan = choosePlan(costs(linear(5), linear(5), linear(5)), [5, 5, 5], 5500);

    expect(plan.map((choice) => choice.index)).toEqual([0, 1]);
  });

  it('gives the room an even cut leaves to the top article first', () => {
    // Two slides each: 2000 + 2000 + 1600 = 5600; three each would take 6400.
    const plan = choosePlan(costs(linear(5), linear(5, { slide: 300 })), [5, 5], 6200);

    expect(slidesOf(plan)).toEqual([3, 2]);
  });

  it('shows an article too large even alone as compact, and keeps the others', () => {
    const huge = linear(3, { slide: 200_000, compact: 900 });

    const plan = choosePlan(costs(huge, linear(2)), [3, 2], 10_000);

    expect(plan).toEqual([
      { index: 0, slides: 0, compact: true },
      { index: 1, slides: 2, compact: false },
    ]);
  });

  it('counts the link a trimmed article gains', () => {
    const unlinked = { ...linear(4), linkExtra: 600 };

    // Whole: 2000 + 3000 = 5000. Three slides cost 4500 plus its new link, 600.
    const plan = choosePlan(costs(unlinked), [4], 4900);

    expect(slidesOf(plan)).toEqual([2]);
  });

  it('always keeps the top article', () => {
    const plan = choosePlan(costs(linear(1)), [1], 10);

    expect(plan.map((choice) => choice.index)).toEqual([0]);
  });
});

describe('compactArticle', () => {
  it('keeps the headline, one lead photo with its credit, and a link to all the slides', () => {
    const article = manyArticle(0, 9);

    const compact = compactArticle(article, 9);

    expect(compact.headline).toBe(article.headline);
    expect(compact.lead.images).toEqual([article.lead.images[0]]);
    expect(compact.lead.paragraphs).toEqual([]);
    expect(compact.slides).toEqual([]);
    expect(compact.cut).toEqual({ totalSlides: 9, compact: true });
  });

  it('cuts a huge headline and caption to 200 characters on a word boundary', () => {
    const article = manyArticle(0, 1);
    article.headline = 'word '.repeat(50_000);
    article.lead.images = [{ caption: 'caption '.repeat(10_000), credit: 'A B/C' }];

    const compact = compactArticle(article, 1);

    expect([...compact.headline].length).toBeLessThanOrEqual(200);
    expect(compact.headline).toMatch(/^(word )+word…$/);
    expect([...(compact.lead.images[0]?.caption ?? '')].length).toBeLessThanOrEqual(200);
  });

  it('leaves out a photo whose credit is too long to show whole', () => {
    const article = manyArticle(0, 1);
    article.lead.images = [{ caption: 'Lead', credit: `${'Very Long '.repeat(30)}/Agency` }];
    article.slides = [];

    expect(compactArticle(article, 0).lead.images).toEqual([]);
  });

  it('falls back to the first slide photo for an article without lead photo', () => {
    const article = manyArticle(0, 2);
    article.lead.images = [];

    expect(compactArticle(article, 2).lead.images).toEqual([article.slides[0]?.image]);
  });
});

describe('applyPlan', () => {
  it('shows the chosen slides and marks what it left out', () => {
    const candidates: Article[] = [manyArticle(0, 4), manyArticle(1, 2)];

    const shown = applyPlan(candidates, [
      { index: 0, slides: 1, compact: false },
      { index: 1, slides: 2, compact: false },
    ]);

    expect(shown.map((article) => article.slides.length)).toEqual([1, 2]);
    expect(shown.map((article) => article.cut)).toEqual([
      { totalSlides: 4, compact: false },
      undefined,
    ]);
  });
});
