import type { Article, Image } from '../articles/article.ts';
import { cutText } from '../common/cut-text.ts';
import type { ShownArticle } from '../rendering/issue-view.ts';
import type { ArticleLayout, IssueLayout } from '../rendering/measure-layout.ts';
import { utf8Length } from '../rendering/utf8-length.ts';

/** How much of one article an issue shows. */
export interface ArticleChoice {
  /** Position of the article among the candidates. */
  index: number;
  /** How many of its slides the issue shows, from the first. */
  slides: number;
  /** Shown as headline, lead photo and link only. */
  compact: boolean;
}

/** What each way of showing an article costs, in bytes of HTML, read from one measured render. */
export interface PackCosts {
  /** Bytes of everything but the articles: head, masthead, footer. */
  chrome: number;
  articles: ArticleCosts[];
}

export interface ArticleCosts {
  /** `withSlides[k]`: bytes of the article showing its first `k` measured slides and its link. */
  withSlides: number[];
  /** Bytes a link adds when showing fewer slides gives the article one it did not have. */
  linkExtra: number;
  /** Estimated bytes of the article as headline, lead photo and link. */
  compact: number;
}

/** Longest headline or caption of a compact article, in characters. */
export const COMPACT_TEXT_LENGTH = 200;
/** Longest image address a compact article keeps; a longer one shows the caption alone. */
export const COMPACT_URL_LENGTH = 2048;

// Used only when a render reports no layout for a part: rough sizes of this repository's
// templates (a closing link with its button and the section boundary after an article).
const DEFAULT_TAIL = 1500;
const DEFAULT_LINK = 650;

/**
 * Reads from a measured render what each article costs with fewer slides.
 * @param shown the articles as that render showed them
 * @param layout that render's layout
 */
export function packCosts(shown: readonly ShownArticle[], layout: IssueLayout): PackCosts {
  const measured = shown.map((article, index) =>
    measureArticle(article, layout.articles[index], layout.articles[index + 1]?.start),
  );
  const tails = measured.flatMap((m) => (m.tail === undefined ? [] : [m]));
  const typicalTail = (linked: boolean) =>
    median(tails.filter((m) => m.linked === linked).map((m) => m.tail as number)) ??
    (median(tails.map((m) => m.tail as number)) ?? DEFAULT_TAIL) +
      (linked ? DEFAULT_LINK : -DEFAULT_LINK) / 2;
  const linkExtra =
    tails.some((m) => m.linked) && tails.some((m) => !m.linked)
      ? Math.max(0, typicalTail(true) - typicalTail(false))
      : DEFAULT_LINK;

  const articles = measured.map((m, index): ArticleCosts => {
    const article = shown[index] as ShownArticle;
    const tail = m.tail ?? typicalTail(m.linked);
    const withSlides = m.ends.map((end) => end - m.start + tail);
    // Without a link of its own, a shortened article links to its page in the archive.
    const extra = m.linked ? 0 : linkExtra + utf8Length(article.id) + 100;
    return { withSlides, linkExtra: extra, compact: compactEstimate(article, typicalTail(true)) };
  });
  const shownBytes = articles.reduce((sum, a) => sum + (a.withSlides.at(-1) ?? 0), 0);
  return { chrome: Math.max(0, layout.bytes - shownBytes), articles };
}

interface MeasuredArticle {
  start: number;
  /** `ends[k]`: where the article's text ends when it shows `k` slides. */
  ends: number[];
  /** Bytes from the end of its text to the next article's headline. */
  tail: number | undefined;
  linked: boolean;
}

function measureArticle(
  article: ShownArticle,
  layout: ArticleLayout | undefined,
  nextStart: number | undefined,
): MeasuredArticle {
  const linked = layout?.link !== undefined;
  const slideEnds = layout?.slides.map((slide) => slide.end) ?? [];
  const points = [layout?.start, layout?.leadEnd, ...slideEnds];
  const complete =
    slideEnds.length === article.slides.length && points.every((p) => p !== undefined);
  if (!complete || layout?.start === undefined) {
    // The templates did not mark this article: spread its bytes by the length of its text.
    return estimateArticle(article, layout, nextStart, linked);
  }
  const ends = [layout.leadEnd as number, ...(slideEnds as number[])];
  const last = ends.at(-1) as number;
  return {
    start: layout.start,
    ends,
    tail: nextStart === undefined ? undefined : nextStart - last,
    linked,
  };
}

function estimateArticle(
  article: ShownArticle,
  layout: ArticleLayout | undefined,
  nextStart: number | undefined,
  linked: boolean,
): MeasuredArticle {
  const start = layout?.start ?? 0;
  const weights = [headWeight(article), ...article.slides.map(slideWeight)];
  const total = weights.reduce((a, b) => a + b, 0);
  const span = nextStart === undefined ? total : Math.max(total, nextStart - start);
  const ends: number[] = [];
  let at = start;
  for (const weight of weights) {
    at += (weight / total) * span;
    ends.push(Math.round(at));
  }
  return { start, ends, tail: nextStart === undefined ? undefined : 0, linked };
}

/**
 * A layout for a render that reported none (a renderer other than `renderIssue`): the HTML's
 * bytes spread over the articles by the length of their text.
 */
export function estimateLayout(shown: readonly ShownArticle[], bytes: number): IssueLayout {
  const weights = shown.map(
    (article) => headWeight(article) + article.slides.reduce((s, x) => s + slideWeight(x), 0),
  );
  const total = weights.reduce((a, b) => a + b, 0) + 2000;
  const scale = bytes / total;
  let at = 1000 * scale;
  const articles = shown.map((article, index): ArticleLayout => {
    const start = Math.round(at);
    at += headWeight(article) * scale;
    const leadEnd = Math.round(at);
    const slides = article.slides.map((slide) => {
      const slideStart = Math.round(at);
      at += slideWeight(slide) * scale;
      return { start: slideStart, end: Math.round(at) };
    });
    at = start + (weights[index] ?? 0) * scale;
    return { start, leadEnd, slides, link: undefined };
  });
  return { bytes, articles };
}

function headWeight(article: Article): number {
  return (
    300 +
    utf8Length(article.headline) +
    article.lead.images.reduce((sum, image) => sum + imageWeight(image), 0) +
    article.lead.paragraphs.reduce((sum, p) => sum + 30 + utf8Length(p), 0)
  );
}

function slideWeight(slide: Article['slides'][number]): number {
  return (
    150 +
    utf8Length(slide.title) +
    (slide.image ? imageWeight(slide.image) : 0) +
    slide.paragraphs.reduce((sum, p) => sum + 30 + utf8Length(p), 0)
  );
}

function imageWeight(image: Image): number {
  const text = utf8Length(image.caption ?? '') + utf8Length(image.credit ?? '');
  return (
    150 + text + (image.url ? 350 + utf8Length(image.url) + utf8Length(image.caption ?? '') : 0)
  );
}

function compactEstimate(article: ShownArticle, tail: number): number {
  const compact = compactArticle(article, article.cut?.totalSlides ?? article.slides.length);
  return tail + headWeight(compact) + 400;
}

/** The lower median: one article with a huge headline must not set every article's tail. */
function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/**
 * Chooses how much of each candidate to show so that the issue fits `budget` bytes. It drops
 * slides from the end of the articles first (all articles down to the same number, never
 * below one slide), then whole articles from the end (they wait for the next issue), then
 * gives slides back from the top article down while they fit. An article too large even
 * alone is shown compact. The first article is always kept.
 * @param measuredSlides how many slides each article showed in the measured render
 */
export function choosePlan(
  costs: PackCosts,
  measuredSlides: readonly number[],
  budget: number,
): ArticleChoice[] {
  const n = measuredSlides;
  const fullCost = (index: number, slides: number) => {
    const article = costs.articles[index] as ArticleCosts;
    const base = article.withSlides[slides] ?? article.withSlides.at(-1) ?? 0;
    return base + (slides < (n[index] ?? 0) ? article.linkExtra : 0);
  };
  const minSlides = (index: number) => Math.min(1, n[index] ?? 0);
  const compact = n.map((_, index) => costs.chrome + fullCost(index, minSlides(index)) > budget);
  const cost = (index: number, slides: number) =>
    compact[index] ? (costs.articles[index] as ArticleCosts).compact : fullCost(index, slides);
  const floor = (index: number) => (compact[index] ? 0 : minSlides(index));

  let count = n.length;
  const totalAt = (cap: number) => {
    let total = costs.chrome;
    for (let index = 0; index < count; index++) {
      total += cost(index, Math.max(floor(index), Math.min(n[index] ?? 0, cap)));
    }
    return total;
  };
  while (count > 1 && totalAt(0) > budget) count--;

  let cap = Math.max(0, ...n.slice(0, count));
  while (cap > 1 && totalAt(cap) > budget) cap--;
  const slides = n
    .slice(0, count)
    .map((max, index) => (compact[index] ? 0 : Math.max(floor(index), Math.min(max, cap))));
  let total = totalAt(cap);
  for (let index = 0; index < count; index++) {
    if (compact[index]) continue;
    while ((slides[index] ?? 0) < (n[index] ?? 0)) {
      const now = slides[index] ?? 0;
      const step = cost(index, now + 1) - cost(index, now);
      if (total + step > budget) break;
      total += step;
      slides[index] = now + 1;
    }
  }
  return slides.map((shown, index) => ({
    index,
    slides: shown,
    compact: compact[index] ?? false,
  }));
}

/**
 * An article as a compact issue shows it: its headline (cut to 200 characters), one lead
 * photo with its credit, and (through `cut`) a link to the whole article. A photo whose
 * credit is too long to show whole is left out rather than shown without it.
 * @param totalSlides slides of the full article, for its "See all N slides" link
 */
export function compactArticle(article: Article, totalSlides: number): ShownArticle {
  const photo =
    article.lead.images.find((image) => image.url !== undefined) ??
    article.lead.images[0] ??
    article.slides.find((slide) => slide.image?.url !== undefined)?.image;
  const images: Image[] = [];
  if (photo && (photo.credit === undefined || [...photo.credit].length <= COMPACT_TEXT_LENGTH)) {
    const kept: Image = { ...photo };
    if (photo.caption !== undefined) kept.caption = cutText(photo.caption, COMPACT_TEXT_LENGTH);
    if (photo.url !== undefined && photo.url.length > COMPACT_URL_LENGTH) delete kept.url;
    images.push(kept);
  }
  return {
    ...article,
    headline: cutText(article.headline, COMPACT_TEXT_LENGTH),
    lead: { images, paragraphs: [] },
    slides: [],
    cut: { totalSlides, compact: true },
  };
}

/**
 * The articles as an issue shows them, from the candidates and the choices.
 * @param candidates the full articles
 */
export function applyPlan(
  candidates: readonly Article[],
  choices: readonly ArticleChoice[],
): ShownArticle[] {
  return choices.flatMap((choice) => {
    const article = candidates[choice.index];
    if (!article) return [];
    return [showSlides(article, choice.slides, choice.compact)];
  });
}

/** The article showing its first `slides` slides (linking to the rest), or compact. */
export function showSlides(article: Article, slides: number, compact = false): ShownArticle {
  const total = article.slides.length;
  if (compact) return compactArticle(article, total);
  if (slides >= total) return article;
  return {
    ...article,
    slides: article.slides.slice(0, slides),
    cut: { totalSlides: total, compact: false },
  };
}
