import { parse } from 'node-html-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '#core/articles/article.ts';
import { IntroError } from '#core/rendering/intro-error.ts';
import { issuePreheader } from '#core/rendering/issue-preheader.ts';
import type { ShownArticle } from '#core/rendering/issue-view.ts';
import { personalize } from '#core/rendering/personalize.ts';
import { renderIssue } from '#core/rendering/render-issue.ts';
import type { TemplateSet } from '#core/rendering/templates.ts';
import { loadTemplates } from '#templates/load-templates.ts';
import { hostileArticle, hostileStrings } from '../../fixtures/render/issue-fixtures.ts';
import {
  creditsOf,
  longArticle,
  sampleArticles,
  sampleView,
} from '../../fixtures/render/sample-issue.ts';

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
const linkNamed = (html: string, text: string) =>
  parse(html)
    .querySelectorAll('a')
    .filter((a) => readable(a.text).trim() === text);
const viewInBrowser = 'https://news.example.com/issues/01M8BDWP00R8Y3V5N7Q9T1W4BC';

describe('renderIssue with the digest templates', () => {
  it('sets the issue language on the html element', async () => {
    const rendered = await renderIssue(sampleView(), templates);

    expect(parse(rendered.html).querySelector('html')?.getAttribute('lang')).toBe('en-GB');
  });

  it('titles the HTML with the subject', async () => {
    const rendered = await renderIssue(sampleView(), templates);

    expect(parse(rendered.html).querySelector('title')?.text).toBe(
      'The Lighthouse Keeper’s Garden Wins the Village Show',
    );
  });

  it('opens the inbox preview with the other stories, within 90 characters', async () => {
    const rendered = await renderIssue(sampleView(), templates);

    const preview = parse(rendered.html).querySelector('body > div')?.text ?? '';
    const visible = preview.replace(/[\u034f\u200c\u00a0]+/g, ' ').trim();
    expect(visible).toBe('Also in this issue: The Night Ferry Timetable Returns for Winter');
    expect([...visible].length).toBeLessThanOrEqual(90);
  });

  it('pads the inbox preview so that it stops after the preheader', async () => {
    const rendered = await renderIssue(sampleView(), templates);

    const preview = parse(rendered.html).querySelector('body > div')?.text ?? '';
    expect(preview).toMatch(/(\u034f\u200c\u00a0){20,}/);
  });

  it('heads both parts with the list name and the issue date in its language', async () => {
    const rendered = await renderIssue(sampleView(), templates);

    expect(textOfHtml(rendered.html)).toContain('The Weekly Slide 26 November 2026 · 2 stories');
    expect(rendered.text.split('\n')[0]).toBe('The Weekly Slide - 26 November 2026');
  });

  it('links to the archived issue from the top and the bottom of both parts', async () => {
    const rendered = await renderIssue(sampleView(), templates);

    const links = linkNamed(rendered.html, 'View in browser');
    expect(links.map((a) => a.getAttribute('href'))).toEqual([viewInBrowser, viewInBrowser]);
    expect(rendered.text.split('\n')[1]).toBe(`View in your browser: ${viewInBrowser}`);
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

  it('shows every photo credit in both parts, labelled "Photo:" only under a photo shown', async () => {
    const rendered = await renderIssue(sampleView(), templates);

    const credits = creditsOf(sampleArticles);
    const shownCredits = sampleArticles
      .flatMap((article) => [
        ...article.lead.images,
        ...article.slides.flatMap((slide) => slide.image ?? []),
      ])
      .filter((image) => image.url !== undefined)
      .map((image) => image.credit);
    const labelled = (part: string) =>
      part
        .split('Photo: ')
        .slice(1)
        .map((after) => credits.find((credit) => after.startsWith(credit)));
    expect(credits).toHaveLength(5);
    expect(shownCredits).toHaveLength(3);
    for (const credit of credits) {
      expect(textOfHtml(rendered.html)).toContain(credit);
      expect(readable(rendered.text)).toContain(credit);
    }
    expect(labelled(textOfHtml(rendered.html))).toEqual(shownCredits);
    expect(labelled(readable(rendered.text))).toEqual(shownCredits);
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

  it('sizes each image to the column, with its height when the article gives it', async () => {
    const rendered = await renderIssue(sampleView(), templates);

    const sizes = parse(rendered.html)
      .querySelectorAll('img')
      .map((image) => [image.getAttribute('width'), image.getAttribute('height')]);
    expect(sizes).toEqual([
      ['552', '368'],
      ['400', '300'],
      ['552', undefined],
    ]);
  });

  it('narrows a tall portrait photo so that it is never taller than the column is wide', async () => {
    const portrait = structuredClone(sampleArticles[1]) as Article;
    portrait.slides[0] = {
      title: 'Portrait',
      image: { credit: 'A B/C', url: 'https://img.example.com/p.jpg', width: 800, height: 1200 },
      paragraphs: [],
    };

    const rendered = await renderIssue(sampleView([portrait]), templates);

    const image = parse(rendered.html).querySelector('img');
    expect([image?.getAttribute('width'), image?.getAttribute('height')]).toEqual(['368', '552']);
  });

  it('styles the alt text and scales each photo to the column', async () => {
    const rendered = await renderIssue(sampleView(), templates);

    for (const image of parse(rendered.html).querySelectorAll('img')) {
      const style = image.getAttribute('style') ?? '';
      expect(style).toContain('max-width:100%');
      expect(style).toContain('height:auto');
      expect(style).toMatch(/color:#[0-9a-f]{6}/);
      expect(style).toContain('font-size:14px');
    }
  });

  it('marks every table as layout for screen readers', async () => {
    const rendered = await renderIssue(sampleView([longArticle(1, 3)]), templates);

    // Outlook's tables hide in conditional comments, which a parser skips: read the source.
    const tables = rendered.html.match(/<table\b[^>]*>/g) ?? [];
    expect(tables.length).toBeGreaterThan(5);
    expect(tables.filter((table) => !table.includes('role="presentation"'))).toEqual([]);
  });

  it('shows a photo without an address as its caption and credit, with no image', async () => {
    const rendered = await renderIssue(sampleView(), templates);

    expect(srcs(rendered.html)).toHaveLength(3);
    expect(textOfHtml(rendered.html)).toContain(
      'The last ferry leaving the quay at nine Olek Brandt/Quayside Photos',
    );
    expect(textOfHtml(rendered.html)).not.toContain('Photo: Olek Brandt');
    expect(readable(rendered.text)).toContain(
      '[The last ferry leaving the quay at nine] Olek Brandt/Quayside Photos',
    );
  });

  it('links an article with an address to the full article in both parts', async () => {
    const rendered = await renderIssue(sampleView(), templates);

    const links = linkNamed(rendered.html, 'Read the full article →');
    expect(links.map((a) => a.getAttribute('href'))).toEqual([sampleArticles[0]?.url]);
    expect(rendered.text).toContain(`Read the full article: ${sampleArticles[0]?.url}`);
  });

  it('links a trimmed article to all its slides: its address, else its archive page', async () => {
    const [withUrl, withoutUrl] = sampleArticles as [Article, Article];
    const trimmed: ShownArticle[] = [
      { ...withUrl, slides: withUrl.slides.slice(0, 1), cut: { totalSlides: 2, compact: false } },
      { ...withoutUrl, slides: [], cut: { totalSlides: 2, compact: false } },
    ];

    const rendered = await renderIssue(sampleView(trimmed), templates);

    const links = linkNamed(rendered.html, 'See all 2 slides →');
    expect(links.map((a) => a.getAttribute('href'))).toEqual([
      withUrl.url,
      'https://news.example.com/articles/night-ferry-timetable-returns',
    ]);
    expect(rendered.text).toContain(
      'See all 2 slides: https://news.example.com/articles/night-ferry-timetable-returns',
    );
  });

  it('puts no image address in the text part', async () => {
    const rendered = await renderIssue(sampleView(), templates);

    expect(rendered.text).not.toContain('img.example.com');
  });

  it('tells the reader why they get the digest, who sends it and how to leave', async () => {
    const rendered = await renderIssue(sampleView(), templates);

    const footer = textOfHtml(rendered.html);
    expect(footer).toContain('You receive this email because you subscribed to The Weekly Slide.');
    expect(footer).toContain(sampleView().postalAddress);
    const unsubscribe = linkNamed(rendered.html, 'Unsubscribe');
    expect(unsubscribe.map((a) => a.getAttribute('href'))).toEqual([
      rendered.markers.unsubscribeUrl,
    ]);
    expect(rendered.text).toContain(`Unsubscribe: ${rendered.markers.unsubscribeUrl}`);
    expect(rendered.text).toContain(sampleView().postalAddress);
  });

  it('folds the text part at 72 columns', async () => {
    const rendered = await renderIssue(sampleView([longArticle(1, 2)]), templates);

    const lines = rendered.text.split('\n').filter((line) => !line.includes('https://'));
    expect(Math.max(...lines.map((line) => [...line].length))).toBeLessThanOrEqual(72);
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
    expect(hrefs(rendered.html).sort()).toEqual(
      [rendered.markers.unsubscribeUrl, viewInBrowser, viewInBrowser].sort(),
    );
    expect(rendered.html.toLowerCase()).not.toContain('javascript:');
    expect(rendered.text.toLowerCase()).not.toContain('javascript:');
    // Every credit stays, without the "Photo:" that would promise a picture.
    for (const credit of ['A B/C', 'D E/F', 'G H/I', 'J K/L']) {
      expect(textOfHtml(rendered.html)).toContain(credit);
      expect(readable(rendered.text)).toContain(credit);
    }
    expect(textOfHtml(rendered.html)).not.toContain('Photo:');
    expect(rendered.text).not.toContain('Photo:');
  });

  describe('with hostile article text', () => {
    const hostile = hostileArticle();

    it('shows markup and template braces literally in the HTML', async () => {
      const rendered = await renderIssue(sampleView([hostile]), templates);

      const page = parse(rendered.html);
      expect(page.querySelectorAll('script, iframe')).toHaveLength(0);
      expect(page.querySelectorAll('img').map((img) => img.getAttribute('src'))).toEqual([
        'https://img.example.com/hostile.jpg?a=1&b="2"',
      ]);
      expect(page.querySelector('img')?.getAttribute('alt')).toBe(hostileStrings.join(' '));
      for (const text of hostileStrings) expect(textOfHtml(rendered.html)).toContain(text);
    });

    it('shows markup and template braces as written in the text', async () => {
      const rendered = await renderIssue(sampleView([hostile]), templates);

      for (const text of hostileStrings) expect(readable(rendered.text)).toContain(text);
    });

    it('never turns article text into a per-recipient field', async () => {
      const rendered = await renderIssue(sampleView([hostile]), templates);
      const value = 'https://news.example.com/unsubscribe?token=RECIPIENT';

      const { html, text } = personalize(rendered, { unsubscribeUrl: value, name: 'RECIPIENT' });

      expect(html.split('RECIPIENT')).toHaveLength(2);
      expect(text.split('RECIPIENT')).toHaveLength(2);
      expect(textOfHtml(html)).toContain("{{recipient 'unsubscribeUrl'}}");
      expect(textOfHtml(html)).toContain('{{recipient.email}}');
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
});

describe('renderIssue with an editor’s note', () => {
  const intro = [
    'Hello <b>readers</b>,',
    'this week the harbour froze over & the ferry stayed in port.',
    '',
    'More at https://news.example.com/ice?a=1&b=2 — and "see you" next week.',
    '',
    '',
    'Ada',
  ].join('\n');
  const paragraphs = [
    'Hello <b>readers</b>, this week the harbour froze over & the ferry stayed in port.',
    'More at https://news.example.com/ice?a=1&b=2 — and "see you" next week.',
    'Ada',
  ];
  const withIntro = (note = intro) => ({ ...sampleView(), intro: note });

  it('shows each paragraph of the note, as text, above the first story in the HTML', async () => {
    const rendered = await renderIssue(withIntro(), templates);

    const page = parse(rendered.html);
    const shown = page.querySelectorAll('p').map((p) => readable(p.text).trim());
    const at = (text: string) => shown.indexOf(text);
    expect(page.querySelectorAll('b')).toHaveLength(0);
    expect(shown).toEqual(expect.arrayContaining(['From the editor', ...paragraphs]));
    expect(at('The Weekly Slide')).toBe(-1);
    expect(at('From the editor')).toBeLessThan(at(paragraphs[0] as string));
    expect(at(paragraphs[0] as string)).toBeLessThan(at(paragraphs[1] as string));
    expect(at(paragraphs[1] as string)).toBeLessThan(at(paragraphs[2] as string));
    expect(at(paragraphs[2] as string)).toBeLessThan(at('Story 1 of 2'));
  });

  it('shows the note after the masthead and before the first story in the text part', async () => {
    const rendered = await renderIssue(withIntro(), templates);

    const blocks = rendered.text.split('\n\n').map((block) => readable(block).trim());
    expect(blocks.slice(0, 2)).toEqual([
      `The Weekly Slide - 26 November 2026 View in your browser: ${viewInBrowser}`,
      'FROM THE EDITOR',
    ]);
    expect(blocks.slice(2, 5)).toEqual(paragraphs);
    expect(blocks[5]).toMatch(/^=+ STORY 1 OF 2 /);
  });

  it('folds the note in the text part at 72 columns', async () => {
    const rendered = await renderIssue(withIntro('seventy-two '.repeat(30)), templates);

    const lines = rendered.text.split('\n');
    const start = lines.indexOf('FROM THE EDITOR') + 2;
    const note = lines.slice(start, lines.indexOf('', start));
    expect(note.length).toBeGreaterThan(4);
    expect(note.join(' ')).toBe('seventy-two '.repeat(30).trim());
    expect(Math.max(...note.map((line) => line.length))).toBeLessThanOrEqual(72);
  });

  it('leaves an address in the note as text, not a link', async () => {
    const plain = await renderIssue(sampleView(), templates);
    const rendered = await renderIssue(withIntro(), templates);

    expect(hrefs(rendered.html).length).toBe(hrefs(plain.html).length);
    expect(hrefs(rendered.html)).not.toContain('https://news.example.com/ice?a=1&b=2');
  });

  it('shows hostile text in the note as written, in both parts, never as a field', async () => {
    const plain = await renderIssue(sampleView(), templates);
    const rendered = await renderIssue(withIntro(hostileStrings.join('\n\n')), templates);
    const value = 'https://news.example.com/unsubscribe?token=RECIPIENT';

    const { html, text } = personalize(rendered, { unsubscribeUrl: value, name: 'RECIPIENT' });

    expect(parse(html).querySelectorAll('script, iframe')).toHaveLength(0);
    expect(srcs(html)).toEqual(srcs(plain.html));
    expect(html.split('RECIPIENT')).toHaveLength(2);
    expect(text.split('RECIPIENT')).toHaveLength(2);
    for (const hostile of hostileStrings) {
      expect(textOfHtml(html)).toContain(hostile);
      expect(readable(text)).toContain(hostile);
    }
  });

  it('keeps the HTML free of MJML and template syntax, and counts no extra story', async () => {
    const rendered = await renderIssue(withIntro(), templates);

    expect(rendered.html).not.toMatch(/<\/?mj-/);
    expect(rendered.html).toMatch(/^<!doctype html>/i);
    expect(textOfHtml(rendered.html)).toContain('26 November 2026 · 2 stories');
    expect(linkNamed(rendered.html, 'Unsubscribe')).toHaveLength(1);
  });

  it('shows no note, and no heading for one, when the issue has none', async () => {
    const rendered = await renderIssue(sampleView(), templates);

    expect(textOfHtml(rendered.html)).not.toContain('From the editor');
    expect(rendered.text).not.toContain('FROM THE EDITOR');
  });

  it.each([
    ['an empty note', ' \n\n '],
    ['a note longer than 2,000 characters', 'a'.repeat(2001)],
    ['a note with a control character', 'Hello\u0007'],
  ])('refuses %s', async (_, note) => {
    await expect(renderIssue(withIntro(note), templates)).rejects.toBeInstanceOf(IntroError);
  });
});

describe('the preheader of a render', () => {
  it('is the view’s own when it gives one, as the inbox preview shows it', async () => {
    const preheader = 'Ice, ferries & a note from the editor';

    const rendered = await renderIssue({ ...sampleView(), preheader }, templates);

    expect(rendered.preheader).toBe(preheader);
    const preview = parse(rendered.html).querySelector('body > div')?.text ?? '';
    expect(preview.replace(/[\u034f\u200c\u00a0]+/g, ' ').trim()).toBe(preheader);
  });

  it('is the one made from the headlines when the view gives none', async () => {
    const rendered = await renderIssue(sampleView(), templates);

    expect(rendered.preheader).toBe(issuePreheader(sampleArticles));
    expect(rendered.preheader).toBe(
      'Also in this issue: The Night Ferry Timetable Returns for Winter',
    );
  });
});
