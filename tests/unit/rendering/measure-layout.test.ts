import { beforeAll, describe, expect, it } from 'vitest';
import { isHttpsUrl } from '#core/common/https-url.ts';
import { renderIssue } from '#core/rendering/render-issue.ts';
import type { TemplateSet } from '#core/rendering/templates.ts';
import { utf8Length } from '#core/rendering/utf8-length.ts';
import { loadTemplates } from '#templates/load-templates.ts';
import { hostileArticle, manyArticle } from '../../fixtures/render/issue-fixtures.ts';
import { sampleArticles, sampleView } from '../../fixtures/render/sample-issue.ts';

let templates: TemplateSet;
beforeAll(async () => {
  templates = await loadTemplates();
});

/** The same tokens on every call, so that two renders differ only in what is measured. */
function fixedRandom() {
  let count = 0;
  return () => `fixedtoken${String(++count).padStart(8, '0')}`;
}

const articles = [
  sampleArticles[0],
  hostileArticle(),
  manyArticle(1, 6),
  sampleArticles[1],
].flatMap((article) => article ?? []);

describe('renderIssue with measure', () => {
  it('renders exactly the HTML and text of a render without it', async () => {
    const plain = await renderIssue(sampleView(articles), templates, fixedRandom());

    const measured = await renderIssue(
      { ...sampleView(articles), measure: true },
      templates,
      fixedRandom(),
    );

    expect(measured.html).toBe(plain.html);
    expect(measured.text).toBe(plain.text);
    expect(plain.layout).toBeUndefined();
  });

  it('reports the HTML size in UTF-8 bytes', async () => {
    const measured = await renderIssue({ ...sampleView(articles), measure: true }, templates);

    expect(measured.layout?.bytes).toBe(Buffer.byteLength(measured.html));
    expect(utf8Length(measured.html)).toBe(Buffer.byteLength(measured.html));
  });

  it('finds each headline, lead end, slide and link in reading order', async () => {
    const measured = await renderIssue({ ...sampleView(articles), measure: true }, templates);

    const layout = measured.layout;
    expect(layout?.articles).toHaveLength(articles.length);
    const positions = (layout?.articles ?? []).flatMap((article) => [
      article.start,
      article.leadEnd,
      ...article.slides.flatMap((slide) => [slide.start, slide.end]),
    ]);
    expect(positions.every((position) => position !== undefined)).toBe(true);
    expect(positions).toEqual([...(positions as number[])].sort((a, b) => a - b));
    expect(layout?.articles.map((article) => article.slides.length)).toEqual(
      articles.map((article) => article.slides.length),
    );
    expect(layout?.articles.map((article) => article.link !== undefined)).toEqual([
      true,
      false,
      true,
      false,
    ]);
  });

  it('points each headline offset at the headline text in the HTML bytes', async () => {
    const measured = await renderIssue({ ...sampleView(articles), measure: true }, templates);

    const bytes = Buffer.from(measured.html);
    for (const [index, article] of articles.entries()) {
      const start = measured.layout?.articles[index]?.start ?? -1;
      const headline = Buffer.from(article.headline.replaceAll('&', '&amp;').slice(0, 10));
      expect(bytes.subarray(start, start + headline.length).toString()).toBe(headline.toString());
    }
  });

  it('counts each photo’s markup in the lead or slide that shows it, so the packer weighs it', async () => {
    const measured = await renderIssue({ ...sampleView(articles), measure: true }, templates);

    const bytes = Buffer.from(measured.html);
    const tags: number[] = [];
    for (let at = bytes.indexOf('<img'); at >= 0; at = bytes.indexOf('<img', at + 1)) {
      tags.push(at);
    }
    const spans = (measured.layout?.articles ?? []).flatMap((article) => [
      [article.start ?? -1, article.leadEnd ?? -1],
      ...article.slides.map((slide) => [slide.start ?? -1, slide.end ?? -1]),
    ]);
    const photos = articles.flatMap((article) =>
      [...article.lead.images, ...article.slides.flatMap((slide) => slide.image ?? [])].filter(
        (image) => image.url !== undefined && isHttpsUrl(image.url),
      ),
    );
    expect(tags).toHaveLength(photos.length);
    const outside = tags.filter((at) => !spans.some(([from = 0, to = 0]) => from <= at && at < to));
    expect(outside).toEqual([]);
  });

  describe('with an editor’s note above the first story', () => {
    const intro = 'A note with <b>markup</b> & “quotes”.\n\nAnd a second paragraph. 🌻';
    const view = () => ({ ...sampleView(articles), intro, measure: true });

    it('still renders exactly the HTML of a render without measuring', async () => {
      const plain = await renderIssue({ ...view(), measure: false }, templates, fixedRandom());

      const measured = await renderIssue(view(), templates, fixedRandom());

      expect(measured.html).toBe(plain.html);
      expect(measured.text).toBe(plain.text);
      expect(measured.layout?.bytes).toBe(Buffer.byteLength(measured.html));
    });

    it('counts the note outside every article, and still finds each headline', async () => {
      const measured = await renderIssue(view(), templates);

      const bytes = Buffer.from(measured.html);
      const note = bytes.indexOf('And a second paragraph.');
      const first = measured.layout?.articles[0]?.start ?? -1;
      expect(note).toBeGreaterThan(0);
      expect(note).toBeLessThan(first);
      for (const [index, article] of articles.entries()) {
        const start = measured.layout?.articles[index]?.start ?? -1;
        const headline = Buffer.from(article.headline.replaceAll('&', '&amp;').slice(0, 10));
        expect(bytes.subarray(start, start + headline.length).toString()).toBe(headline.toString());
      }
    });

    it('moves every article by the same number of bytes as the note adds', async () => {
      const without = await renderIssue({ ...sampleView(articles), measure: true }, templates);

      const measured = await renderIssue(view(), templates);

      const added = (measured.layout?.bytes ?? 0) - (without.layout?.bytes ?? 0);
      const shift = (measured.layout?.articles ?? []).map(
        (article, index) => (article.start ?? 0) - (without.layout?.articles[index]?.start ?? 0),
      );
      expect(added).toBeGreaterThan(0);
      expect(shift).toEqual(articles.map(() => added));
    });
  });
});
