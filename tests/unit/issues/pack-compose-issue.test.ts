import { parse } from 'node-html-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '#core/articles/article.ts';
import { type ComposeIssueInput, composeIssue } from '#core/issues/compose-issue.ts';
import type { Issue } from '#core/issues/ports.ts';
import type { IssueView } from '#core/rendering/issue-view.ts';
import { personalize } from '#core/rendering/personalize.ts';
import { type RenderedIssue, renderIssue } from '#core/rendering/render-issue.ts';
import type { TemplateSet } from '#core/rendering/templates.ts';
import { loadTemplates } from '#templates/load-templates.ts';
import {
  hostileArticle,
  hostileTextArticle,
  manyArticle,
  manyArticles,
  testSettings,
} from '../../fixtures/render/issue-fixtures.ts';
import { storedIssue } from '../fakes/memory-issue-deps.ts';

let templates: TemplateSet;
beforeAll(async () => {
  templates = await loadTemplates();
});

const BUDGET = 92_160;
/** A recipient's values, as long as real ones get. */
const reader = {
  unsubscribeUrl: `https://news.example.com/unsubscribe?token=${'v1.'.padEnd(120, 'x')}`,
  name: 'Alexandra',
};

function compose(articles: readonly Article[], extra: Partial<ComposeIssueInput> = {}) {
  return composeIssue({
    issueId: '01M8BDWP00R8Y3V5N7Q9T1W4BC',
    now: new Date('2026-11-26T09:00:00Z'),
    articles,
    issues: [],
    settings: testSettings,
    render: (view) => renderIssue(view, templates),
    ...extra,
  });
}

/** The HTML one recipient gets. */
async function sentHtml(articles: readonly Article[], extra: Partial<ComposeIssueInput> = {}) {
  const composed = await compose(articles, extra);
  if (!composed) throw new Error('no issue');
  return { composed, html: personalize(composed.rendered, reader).html };
}

const linkTexts = (html: string) =>
  parse(html)
    .querySelectorAll('a')
    .map((a) => ({ text: a.text.replace(/\s+/g, ' ').trim(), href: a.getAttribute('href') }));

describe('composeIssue', () => {
  it('holds 30 long articles within the 90 KB budget', async () => {
    const { html, composed } = await sentHtml(manyArticles(30, 12));

    expect(Buffer.byteLength(html)).toBeLessThanOrEqual(BUDGET);
    expect(composed.articles).toHaveLength(10);
  });

  it('holds ten articles of thirty slides each within the budget, each with a slide or more', async () => {
    const { html, composed } = await sentHtml(manyArticles(10, 30));

    expect(Buffer.byteLength(html)).toBeLessThanOrEqual(BUDGET);
    expect(composed.articles.every((article) => article.slides.length >= 1)).toBe(true);
  });

  it('fills the budget rather than cutting deeper than it must', async () => {
    const { html } = await sentHtml(manyArticles(10, 30));

    expect(Buffer.byteLength(html)).toBeGreaterThan(BUDGET * 0.9);
  });

  it('links every trimmed article to all its slides: its address, else its archive page', async () => {
    const { html, composed } = await sentHtml(manyArticles(6, 12));

    const seeAll = linkTexts(html).filter((link) => link.text.startsWith('See all'));
    expect(seeAll).toHaveLength(6);
    expect(seeAll.every((link) => link.text === 'See all 12 slides →')).toBe(true);
    expect(seeAll.map((link) => link.href)).toEqual(
      composed.articles.map(
        (article) => article.url ?? `https://news.example.com/articles/${article.id}`,
      ),
    );
    expect(composed.articles.every((article) => article.cut?.totalSlides === 12)).toBe(true);
  });

  it('shows at most the configured number of slides of an article', async () => {
    const { composed, html } = await sentHtml([manyArticle(0, 12)], {
      settings: { ...testSettings, maxSlidesPerArticle: 3 },
    });

    expect(composed.articles[0]?.slides).toHaveLength(3);
    expect(linkTexts(html).map((link) => link.text)).toContain('See all 12 slides →');
  });

  it('carries at most the configured number of articles; the rest wait', async () => {
    const { composed } = await sentHtml(manyArticles(5, 1), {
      settings: { ...testSettings, maxArticlesPerIssue: 2 },
    });

    expect(composed.issue.articleIds).toEqual(['many-article-0', 'many-article-1']);
  });

  it('counts a trimmed article as carried and leaves an article dropped whole for later', async () => {
    const articles = manyArticles(10, 8);

    const { composed } = await sentHtml(articles, {
      settings: { ...testSettings, htmlBudgetBytes: 30_000 },
    });

    const carried = composed.issue.articleIds;
    expect(carried.length).toBeGreaterThan(0);
    expect(carried.length).toBeLessThan(10);
    expect(carried).toEqual(articles.slice(0, carried.length).map((article) => article.id));
    const next = await compose(articles, {
      issues: [{ ...composed.issue, state: 'sent' }],
      settings: { ...testSettings, htmlBudgetBytes: 30_000 },
    });
    expect(next?.issue.articleIds[0]).toBe(articles[carried.length]?.id);
  });

  it('shows an article too large even alone as its headline, lead photo and link', async () => {
    const giant = manyArticle(0, 3);
    giant.lead.paragraphs = ['A very long sentence of the introduction. '.repeat(4000)];

    const { html, composed } = await sentHtml([giant, manyArticle(1, 2)]);

    expect(Buffer.byteLength(html)).toBeLessThanOrEqual(BUDGET);
    const [shown, other] = composed.articles;
    expect(shown?.cut).toEqual({ totalSlides: 3, compact: true });
    const text = parse(html).text;
    expect(text).toContain(giant.headline);
    expect(text).toContain(`Photo: ${giant.lead.images[0]?.credit}`);
    expect(text).not.toContain('A very long sentence');
    expect(linkTexts(html).map((link) => link.href)).toContain(giant.url);
    expect(other?.slides).toHaveLength(2);
  });

  it('keeps the budget, and the other articles, beside a headline of 200,000 characters', async () => {
    const giant = manyArticle(0, 1);
    giant.headline = `${'Enormous headline '.repeat(11_000)}end`;

    const { html, composed } = await sentHtml([giant, manyArticle(1, 3), manyArticle(2, 3)]);

    expect(Buffer.byteLength(html)).toBeLessThanOrEqual(BUDGET);
    expect(composed.articles.map((article) => article.cut?.compact ?? false)).toEqual([
      true,
      false,
      false,
    ]);
    expect(composed.issue.subject.length).toBeLessThanOrEqual(78);
  });

  it('shows a photo credit wherever it shows the photo', async () => {
    const { html, composed } = await sentHtml(manyArticles(12, 10));

    const text = parse(html).text;
    const images = composed.articles.flatMap((article) => [
      ...article.lead.images,
      ...article.slides.flatMap((slide) => slide.image ?? []),
    ]);
    const shown = images.filter((image) => image.url !== undefined);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThan(images.length);
    for (const image of shown) expect(text).toContain(`Photo: ${image.credit}`);
    // A credit without its photo stays, without the label that promises one.
    for (const image of images.filter((image) => image.url === undefined)) {
      expect(text).toContain(image.credit);
      expect(text).not.toContain(`Photo: ${image.credit}`);
    }
    expect(parse(html).querySelectorAll('img')).toHaveLength(shown.length);
  });

  it('escapes hostile articles and keeps them inside the budget', async () => {
    const articles = [hostileArticle(), hostileTextArticle(), ...manyArticles(12, 10)];

    const { html } = await sentHtml(articles);

    const page = parse(html);
    expect(Buffer.byteLength(html)).toBeLessThanOrEqual(BUDGET);
    expect(page.querySelectorAll('script, iframe, mj-raw')).toHaveLength(0);
    expect(page.text).toContain('{{recipient.email}}');
    expect(html).not.toContain('Alexandra');
  });

  it('takes the subject from the top article, cut to 78 characters on a word boundary', async () => {
    const top = manyArticle(0, 1);
    top.headline =
      'The longest headline anyone ever wrote about the tide going out in a small harbour town';

    const composed = await compose([top]);

    expect(composed?.issue.subject).toBe(
      'The longest headline anyone ever wrote about the tide going out in a small…',
    );
  });

  it('gives no issue when nothing is new', async () => {
    const article = manyArticle(0, 1);
    const issues: Issue[] = [
      storedIssue('01M8BDWP00R8Y3V5N7Q9T1W4BC', {
        createdAt: '2026-11-25T00:00:00Z',
        articleIds: [article.id],
        state: 'sent',
      }),
    ];

    expect(await compose([article], { issues })).toBeUndefined();
  });

  it('packs with a renderer that reports no layout', async () => {
    const fake = async (view: IssueView): Promise<RenderedIssue> => {
      const rendered = await renderIssue({ ...view, measure: false }, templates);
      return rendered;
    };

    const { html } = await sentHtml(manyArticles(10, 12), { render: fake });

    expect(Buffer.byteLength(html)).toBeLessThanOrEqual(BUDGET);
  });
});
