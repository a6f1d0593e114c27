import { parse } from 'node-html-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '#core/article.ts';
import { personalize } from '#core/render/personalize.ts';
import { renderIssue } from '#core/render/render-issue.ts';
import type { TemplateSet } from '#core/render/templates.ts';
import { loadTemplates } from '#templates/load-templates.ts';
import {
  creditsOf,
  longArticle,
  sampleArticles,
  sampleView,
} from '../fixtures/render/sample-issue.ts';

let templates: TemplateSet;
beforeAll(async () => {
  templates = await loadTemplates();
});

/** Text as a reader sees it: entities decoded, whitespace and line folds collapsed. */
const readable = (text: string) => text.replace(/\s+/g, ' ');
const textOfHtml = (html: string) => readable(parse(html).querySelector('body')?.text ?? '');
const hrefs = (html: string) =>
  parse(html)
    .querySelectorAll('[href]')
    .map((a) => a.getAttribute('href'));
const srcs = (html: string) =>
  parse(html)
    .querySelectorAll('[src]')
    .map((a) => a.getAttribute('src'));

describe('renderIssue with the digest templates', () => {
  it('sets the issue language on the html element', async () => {
    const rendered = await renderIssue(sampleView(), templates);

    expect(parse(rendered.html).querySelector('html')?.getAttribute('lang')).toBe('en-GB');
  });

  it('titles the HTML with the subject and previews the headlines', async () => {
    const rendered = await renderIssue(sampleView(), templates);

    const page = parse(rendered.html);
    expect(page.querySelector('title')?.text).toBe(
      'The Lighthouse Keeper’s Garden Wins the Village Show',
    );
    const preview = readable(page.querySelector('body > div')?.text ?? '');
    expect(preview).toContain('The Lighthouse Keeper’s Garden Wins the Village Show 🌻');
    expect(preview).toContain('The Night Ferry Timetable Returns for Winter');
  });

  it('heads both parts with the list name and the issue date in its language', async () => {
    const rendered = await renderIssue(sampleView(), templates);

    expect(textOfHtml(rendered.html)).toContain('The Weekly Slide 26 November 2026');
    expect(rendered.text.split('\n')[0]).toBe('The Weekly Slide - 26 November 2026');
  });

  it('shows every headline, slide title and paragraph in both parts', async () => {
    const rendered = await renderIssue(sampleView(), templates);

    const texts = sampleArticles.flatMap((article) => [
      article.headline,
      ...article.lead.paragraphs,
      ...article.slides.flatMap((slide) => [slide.title, ...slide.paragraphs]),
    ]);
    for (const text of texts) {
      expect(textOfHtml(rendered.html)).toContain(text);
      expect(readable(rendered.text)).toContain(text);
    }
  });

  it('shows every photo credit in the HTML and in the text', async () => {
    const rendered = await renderIssue(sampleView(), templates);

    const credits = creditsOf(sampleArticles);
    const shown = (part: string) =>
      credits.filter((credit) => part.includes(`Photo: ${credit}`)).length;
    expect(credits).toHaveLength(5);
    expect(shown(textOfHtml(rendered.html))).toBe(5);
    expect(shown(readable(rendered.text))).toBe(5);
    expect(textOfHtml(rendered.html).split('Photo: ')).toHaveLength(6);
    expect(rendered.text.split('Photo: ')).toHaveLength(6);
  });

  it('describes each image by its caption, else by the title of its slide', async () => {
    const rendered = await renderIssue(sampleView(), templates);

    const images = parse(rendered.html).querySelectorAll('img');
    expect(images.map((image) => image.getAttribute('alt'))).toEqual([
      'Sunflowers taller than the keeper himself',
      'The keeper checks his seedlings after a gale',
      'The judges arrive by boat',
    ]);
  });

  it('sizes each image to the column, keeping its proportions when they are known', async () => {
    const rendered = await renderIssue(sampleView(), templates);

    const sizes = parse(rendered.html)
      .querySelectorAll('img')
      .map((image) => [image.getAttribute('width'), image.getAttribute('height')]);
    expect(sizes).toEqual([
      ['552', '368'],
      ['400', '300'],
      ['552', 'auto'],
    ]);
  });

  it('shows a photo without an address as its caption and credit, with no image', async () => {
    const rendered = await renderIssue(sampleView(), templates);

    expect(srcs(rendered.html)).toHaveLength(3);
    expect(textOfHtml(rendered.html)).toContain(
      'The last ferry leaving the quay at nine Photo: Olek Brandt/Quayside Photos',
    );
  });

  it('links an article with an address to the full article in both parts', async () => {
    const rendered = await renderIssue(sampleView(), templates);

    const link = parse(rendered.html)
      .querySelectorAll('a')
      .filter((a) => a.text === 'Read the full article');
    expect(link.map((a) => a.getAttribute('href'))).toEqual([sampleArticles[0]?.url]);
    expect(rendered.text).toContain(`Read the full article: ${sampleArticles[0]?.url}`);
  });

  it('puts no image address in the text part', async () => {
    const rendered = await renderIssue(sampleView(), templates);

    expect(rendered.text).not.toContain('img.example.com');
  });

  it('tells the reader why they get the digest, who sends it and how to leave', async () => {
    const rendered = await renderIssue(sampleView(), templates);

    const footer = textOfHtml(rendered.html);
    expect(footer).toContain('You receive this because you subscribed to The Weekly Slide.');
    expect(footer).toContain(sampleView().postalAddress);
    const unsubscribe = parse(rendered.html)
      .querySelectorAll('a')
      .find((a) => a.text === 'Unsubscribe');
    expect(unsubscribe?.getAttribute('href')).toBe(rendered.markers.unsubscribeUrl);
    expect(rendered.text).toContain(`Unsubscribe: ${rendered.markers.unsubscribeUrl}`);
  });

  it('folds the text part at 72 columns', async () => {
    const rendered = await renderIssue(sampleView([longArticle(1, 2)]), templates);

    const longest = Math.max(...rendered.text.split('\n').map((line) => line.length));
    expect(longest).toBeLessThanOrEqual(72);
  });

  it('renders no link or image for addresses that are not https:', async () => {
    const hostile = {
      ...structuredClone(sampleArticles[0]),
      url: 'javascript:alert(1)',
      lead: {
        images: [{ caption: 'Lead', credit: 'A B/C', url: 'JAVASCRIPT:alert(2)' }],
        paragraphs: ['Intro.'],
      },
      slides: [
        {
          title: 'One',
          image: { credit: 'D E/F', url: ' https://img.example.com/x.jpg' },
          paragraphs: [],
        },
        {
          title: 'Two',
          image: { credit: 'G H/I', url: 'data:image/png;base64,AAAA' },
          paragraphs: [],
        },
        {
          title: 'Three',
          image: { credit: 'J K/L', url: 'http://img.example.com/y.jpg' },
          paragraphs: [],
        },
      ],
    } as Article;

    const rendered = await renderIssue(sampleView([hostile]), templates);

    expect(srcs(rendered.html)).toEqual([]);
    expect(hrefs(rendered.html)).toEqual([rendered.markers.unsubscribeUrl]);
    expect(rendered.html.toLowerCase()).not.toContain('javascript:');
    expect(rendered.text.toLowerCase()).not.toContain('javascript:');
    for (const credit of ['A B/C', 'D E/F', 'G H/I', 'J K/L']) {
      expect(textOfHtml(rendered.html)).toContain(`Photo: ${credit}`);
    }
  });

  describe('with hostile article text', () => {
    const hostileText = [
      '<script>alert(1)</script>',
      '{{recipient.email}}',
      '{{{x}}}',
      "{{recipient 'unsubscribeUrl'}}",
      '"><img src=x onerror=alert(1)>',
    ];
    const hostile = articleWith(hostileText);

    it('shows markup and template braces literally in the HTML', async () => {
      const rendered = await renderIssue(sampleView([hostile]), templates);

      const page = parse(rendered.html);
      expect(page.querySelectorAll('script')).toHaveLength(0);
      expect(page.querySelectorAll('img').map((img) => img.getAttribute('src'))).toEqual([
        'https://img.example.com/hostile.jpg',
      ]);
      expect(page.querySelector('img')?.getAttribute('alt')).toBe(hostileText.join(' '));
      for (const text of hostileText) expect(textOfHtml(rendered.html)).toContain(text);
    });

    it('shows markup and template braces as written in the text', async () => {
      const rendered = await renderIssue(sampleView([hostile]), templates);

      for (const text of hostileText) expect(readable(rendered.text)).toContain(text);
    });

    it('never turns article text into a per-recipient field', async () => {
      const rendered = await renderIssue(sampleView([hostile]), templates);
      const value = 'https://news.example.com/unsubscribe?token=RECIPIENT';

      const { html, text } = personalize(rendered, { unsubscribeUrl: value, name: 'RECIPIENT' });

      expect(html.split('RECIPIENT')).toHaveLength(2);
      expect(text.split('RECIPIENT')).toHaveLength(2);
      expect(textOfHtml(html)).toContain("{{recipient 'unsubscribeUrl'}}");
      expect(readable(text)).toContain('{{recipient.email}}');
    });
  });

  it('writes new markers on every render', async () => {
    const first = await renderIssue(sampleView(), templates);
    const second = await renderIssue(sampleView(), templates);

    expect(second.markers.unsubscribeUrl).not.toBe(first.markers.unsubscribeUrl);
    expect(second.markers.name).not.toBe(first.markers.name);
    expect(second.html).not.toContain(first.markers.unsubscribeUrl);
  });

  it('keeps a five-article issue of five slides each within the 90 KB budget', async () => {
    const articles = Array.from({ length: 5 }, (_, index) => longArticle(index, 5));

    const rendered = await renderIssue(sampleView(articles), templates);

    expect(Buffer.byteLength(rendered.html)).toBeLessThan(90 * 1024);
    expect(parse(rendered.html).querySelectorAll('img')).toHaveLength(30);
  });
});

/** An article whose every text field carries the hostile strings. */
function articleWith(hostileText: string[]): Article {
  const text = hostileText.join(' ');
  return {
    id: 'hostile',
    headline: text,
    url: 'https://news.example.com/hostile',
    publishedAt: '2026-11-20T09:00:00Z',
    lead: { images: [{ credit: text }], paragraphs: [text] },
    slides: [
      {
        title: text,
        image: { caption: text, credit: text, url: 'https://img.example.com/hostile.jpg' },
        paragraphs: [text],
      },
    ],
  };
}
