import { parse } from 'node-html-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type PageTemplates,
  renderArticlePage,
  renderNotFoundPage,
} from '#core/rendering/render-page.ts';
import { TemplateError } from '#core/rendering/template-error.ts';
import { loadPageTemplates } from '#templates/load-templates.ts';
import {
  hostileArticle,
  hostileStrings,
  manyArticle,
} from '../../fixtures/render/issue-fixtures.ts';

let templates: PageTemplates;
beforeAll(async () => {
  templates = await loadPageTemplates();
});

const site = {
  listName: 'The Weekly Slide',
  language: 'en-GB',
  publicBaseUrl: 'http://127.0.0.1:8787',
  timeZone: 'Europe/London',
};
const readable = (html: string) => parse(html).text.replace(/\s+/g, ' ');

describe('renderArticlePage', () => {
  it('shows the whole article: every slide title, paragraph and photo credit', () => {
    const article = manyArticle(0, 12);

    const html = renderArticlePage(article, site, templates);

    const text = readable(html);
    expect(text).toContain(article.headline);
    for (const slide of article.slides) {
      expect(text).toContain(slide.title);
      for (const paragraph of slide.paragraphs) expect(text).toContain(paragraph);
      expect(text).toContain(slide.image?.credit);
    }
    // "Photo:" labels the credits of the photos shown, and no other.
    const figures = parse(html).querySelectorAll('figure');
    const labelled = figures.filter((figure) => figure.text.includes('Photo: '));
    const withImage = figures.filter((figure) => figure.querySelector('img') !== null);
    expect(withImage.length).toBeGreaterThan(0);
    expect(withImage.length).toBeLessThan(figures.length);
    expect(labelled).toEqual(withImage);
    expect(text).toContain('26 November 2026 · 12 slides');
  });

  it('gives each photo its caption as alt text and its size', () => {
    const article = manyArticle(0, 1);

    const html = renderArticlePage(article, site, templates);

    const [lead] = parse(html).querySelectorAll('img');
    expect(lead?.getAttribute('alt')).toBe(article.lead.images[0]?.caption);
    expect([lead?.getAttribute('width'), lead?.getAttribute('height')]).toEqual(['552', '368']);
  });

  it('links to where the article was published', () => {
    const article = manyArticle(0, 1);

    const html = renderArticlePage(article, site, templates);

    expect(parse(html).querySelector('a.button')?.getAttribute('href')).toBe(article.url);
  });

  it('sets the language and titles the page with the headline and the list', () => {
    const html = renderArticlePage(manyArticle(0, 1), site, templates);

    const page = parse(html);
    expect(page.querySelector('html')?.getAttribute('lang')).toBe('en-GB');
    expect(page.querySelector('title')?.text).toBe(
      'Story 1: the harbour town that learned to love the low tide again · The Weekly Slide',
    );
  });

  it('shows hostile text literally, with no script and no address that is not https:', () => {
    const html = renderArticlePage(hostileArticle(), site, templates);

    const page = parse(html);
    expect(page.querySelectorAll('script, iframe')).toHaveLength(0);
    for (const text of hostileStrings) expect(readable(html)).toContain(text);
    const addresses = page
      .querySelectorAll('[href], [src]')
      .map((element) => element.getAttribute('href') ?? element.getAttribute('src'));
    expect(addresses).toEqual(['https://img.example.com/hostile.jpg?a=1&b="2"']);
  });

  it('names the template and line of a misspelt field', () => {
    const broken = {
      ...templates,
      pages: {
        ...templates.pages,
        article: '{{> page-start title=article.headline}}\n{{article.headlin}}\n{{> page-end}}',
      },
    };

    expect(() => renderArticlePage(manyArticle(0, 1), site, broken)).toThrow(TemplateError);
    expect(() => renderArticlePage(manyArticle(0, 1), site, broken)).toThrow(
      /^pages\/article\.html\.hbs:2: .*"headlin" not defined/,
    );
  });
});

describe('renderNotFoundPage', () => {
  it('says what is missing, escaped', () => {
    const html = renderNotFoundPage(
      { title: 'Issue not found', detail: 'No <b>issue</b> here.' },
      site,
      templates,
    );

    expect(parse(html).querySelector('h1')?.text).toBe('Issue not found');
    expect(readable(html)).toContain('No <b>issue</b> here.');
  });
});
