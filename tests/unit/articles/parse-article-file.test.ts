import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Article, articleSchema } from '#core/articles/article.ts';
import type { ParsedArticle } from '#core/articles/import-articles.ts';
import {
  ArticleFileError,
  type ParseArticleFileOptions,
  parseArticleFile,
} from '#core/articles/parse-article-file.ts';
import { textsOf } from '../support/articles.ts';

const NOW = new Date('2026-11-26T09:00:00Z');
const fixturesDir = new URL('../../fixtures/articles/', import.meta.url);
const samplesDir = new URL('../../../samples/articles/', import.meta.url);

const fixture = (name: string) => ({ name, bytes: readFileSync(new URL(name, fixturesDir)) });
const textFile = (name: string, content: string) => ({
  name,
  bytes: new TextEncoder().encode(content),
});

const parse = (
  file: { name: string; bytes: Uint8Array },
  options: Partial<ParseArticleFileOptions> = {},
): ParsedArticle[] => parseArticleFile(file, { now: NOW, ...options });

/** The one article of a file that holds exactly one. */
function only(parsed: ParsedArticle[]): Article {
  expect(parsed).toHaveLength(1);
  return (parsed[0] as ParsedArticle).article;
}

/** The error the importer throws for a file, or a failure if the file is accepted. */
function fileError(
  file: { name: string; bytes: Uint8Array },
  options: Partial<ParseArticleFileOptions> = {},
): ArticleFileError {
  try {
    parse(file, options);
  } catch (error) {
    if (error instanceof ArticleFileError) return error;
    throw error;
  }
  throw new Error(`expected an ArticleFileError, but ${file.name} was accepted`);
}

// ferry-choir.txt is written in the shape of real slideshow exports: each test below pins one
// of their traits.
describe('parseArticleFile: the traits of real exports', () => {
  const ferry = () => only(parse(fixture('ferry-choir.txt')));

  it('reads a lone credit line as a lead photo, then a caption with the same credit as a second', () => {
    expect(ferry().lead.images).toEqual([
      { credit: 'Tomas Eklund/Northlight Press' },
      { caption: 'Ada Moreau, Tomas Eklund', credit: 'Tomas Eklund/Northlight Press' },
    ]);
  });

  it('starts a slide at a bullet that follows a text line with no blank line between', () => {
    const [first, second] = ferry().slides;

    expect(first?.paragraphs).toEqual(['Ada Moreau says nobody expected the captain to agree.']);
    expect(second?.title).toBe('The crossing takes twenty-two minutes, song included. ⛴️');
  });

  it('turns runs of non-breaking spaces, inside and at the ends of lines, into single spaces', () => {
    const article = ferry();

    expect(article.lead.paragraphs).toEqual([
      'Forty singers boarded the last wooden ferry at five in the morning. By the far shore, the crew had joined in.',
    ]);
    expect(article.slides[0]?.title).toBe('The idea began with a “dare” at a rehearsal.');
    for (const field of textsOf(article)) {
      expect(field).not.toMatch(/\u00a0| {2}|^\s|\s$/);
    }
  });

  it('drops Advertisement bullets, with and without trailing spaces', () => {
    const titles = ferry().slides.map((slide) => slide.title);

    expect(titles).toHaveLength(3);
    expect(titles.join('\n')).not.toMatch(/Advertisement/);
  });

  it('reads CRLF line ends and tab indents as it reads LF and spaces', () => {
    const crlf = only(parse(fixture('night-market-crlf.txt')));
    const lf = only(
      parse({
        name: 'night-market-lf.txt',
        bytes: new TextEncoder().encode(
          readFileSync(new URL('night-market-crlf.txt', fixturesDir), 'utf8')
            .replace(/\r\n/g, '\n')
            .replace(/\t/g, '    '),
        ),
      }),
    );

    expect(crlf.slides.length).toBeGreaterThan(1);
    expect(crlf).toEqual(lf);
  });

  it('keeps emoji exactly, including those made of several code points', () => {
    const titles = ferry().slides.map((slide) => slide.title);

    expect(titles[1]).toMatch(/⛴️$/);
    expect(titles[2]).toBe('Next spring they plan to sing on the night tram. 🎶');
  });

  it('keeps curly quotes and apostrophes as they are', () => {
    const article = ferry();

    expect(article.slides[0]?.title).toContain('“dare”');
    expect(article.slides[1]?.paragraphs[1]).toBe('One of them called it “the best Monday ever.”');
    expect(article.slides[2]?.paragraphs).toEqual([
      'Tickets for riders will cost nothing, the choir’s leader says.',
    ]);
  });

  it('reads a photo credit naming several agencies, as real exports give them', () => {
    expect(ferry().slides[2]?.image).toEqual({
      caption: 'Tram depot at night',
      credit: 'Leo Brandt/MG21/Northlight Press for City Transit/Arts',
    });
  });
});

describe('parseArticleFile: slideshow text files', () => {
  it('reads a text file with every quirk of the format', () => {
    const article = only(parse(fixture('rooftop-garden.txt')));

    expect(article).toEqual({
      id: 'actor-juno-park-turns-her-rooftop-into-a-community-garden',
      headline: 'Actor Juno Park Turns Her Rooftop Into a Community Garden 🌱',
      publishedAt: '2026-11-26T09:00:00.000Z',
      lead: {
        images: [
          { credit: 'Ravi Shah/MG24/Example Pictures for City Gardens/Bloom' },
          { caption: 'Juno Park, Ellis Grant', credit: 'Ravi Shah/Example Pictures' },
        ],
        paragraphs: [
          'When the Hollywood actor Juno Park bought a flat with an empty roof, neighbours expected a hot tub. Instead they got forty tomato plants and a rota.',
        ],
      },
      slides: [
        {
          title: 'It started with a single “rescue” fig tree.',
          image: { caption: 'The fig tree on the roof', credit: 'Ravi Shah/Example Pictures' },
          paragraphs: ['Juno found it on the pavement with a “free to a good home” sign.'],
        },
        {
          title: 'Neighbours take turns watering, even in winter.',
          image: { credit: 'Mei Lin/Greenline Press' },
          paragraphs: [
            'The rota is pinned to the lift door.',
            'Nobody has missed a turn yet, Juno says.',
          ],
        },
        {
          title: 'Her co-star Ellis Grant brought the bees.',
          paragraphs: ['Two hives arrived in March and produced their first honey by July. 🐝'],
        },
      ],
    });
  });

  it('reads a CRLF file with tab indentation and a byte order mark', () => {
    const article = only(parse(fixture('night-market-crlf.txt')));

    expect(article).toMatchObject({
      headline: 'Night Market Chef Wins Over Food Critics With Five-Euro Bowls',
      lead: { images: [{ credit: 'Lena Vogt/Example Pictures' }] },
      slides: [
        {
          title: 'The queue starts at six.',
          image: { caption: 'Stall 14 at dusk', credit: 'Lena Vogt/Example Pictures' },
          paragraphs: ['Regulars bring folding chairs.'],
        },
        { title: 'The menu changes with the weather.', paragraphs: [expect.any(String)] },
      ],
    });
  });

  it('keeps markup and template braces in a text file as plain text', () => {
    const article = only(parse(fixture('hostile.txt')));

    expect(article.headline).toBe(
      'Singer <b>Zed</b> Says {{recipient.email}} Is Her Favourite Lyric',
    );
    expect(article.lead.images[0]).toEqual({
      caption: '<script>alert("lead")</script>',
      credit: 'Tom & Jerry/Example &amp; Co',
    });
    expect(article.slides[0]?.paragraphs[0]).toContain('{{unsubscribeUrl}}');
  });

  it('reads a file without a .json extension as slideshow text', () => {
    const parsed = parse(textFile('story', 'Headline\n\n• One slide'));

    expect(parsed[0]?.article.slides).toEqual([{ title: 'One slide', paragraphs: [] }]);
  });

  it('says the id was derived and the publication time was not given', () => {
    const [parsed] = parse(textFile('story.txt', 'Headline\n\n• One slide'));

    expect(parsed).toMatchObject({ source: 'story.txt', idDerived: true, publishedAtGiven: false });
  });

  it('uses the id and publication time given as options', () => {
    const [parsed] = parse(textFile('story.txt', 'Headline\n\n• One slide'), {
      id: 'my-story',
      publishedAt: '2026-01-02T03:04:05Z',
    });

    expect(parsed).toMatchObject({
      article: { id: 'my-story', publishedAt: '2026-01-02T03:04:05Z' },
      idDerived: false,
      publishedAtGiven: true,
    });
  });

  it('reads every sample article of the demo into three to six slides', () => {
    const names = readdirSync(samplesDir).filter((name) => name.endsWith('.txt'));

    const counts = names.map(
      (name) => only(parse({ name, bytes: readFileSync(new URL(name, samplesDir)) })).slides.length,
    );

    expect(names).toHaveLength(4);
    for (const count of counts) expect(count).toBeGreaterThanOrEqual(3);
    for (const count of counts) expect(count).toBeLessThanOrEqual(6);
  });
});

describe('parseArticleFile: JSON files', () => {
  it('reads one article with its own id, time, URLs and photo sizes', () => {
    const article = only(parse(fixture('article.json')));

    expect(article).toMatchObject({
      id: 'harbour-choir-sings-at-dawn',
      url: 'https://news.example.com/harbour-choir',
      publishedAt: '2026-11-20T07:30:00Z',
      tags: ['culture', 'music'],
      lead: {
        images: [
          {
            url: 'https://images.example.com/harbour-choir/deck.jpg',
            width: 600,
            height: 400,
          },
        ],
      },
    });
  });

  it('reads an array of articles, filling in only what each one leaves out', () => {
    const parsed = parse(fixture('two-articles.json'));

    expect(parsed).toEqual([
      expect.objectContaining({
        article: expect.objectContaining({
          id: 'tiny-bookshop-opens-inside-a-red-phone-box',
          publishedAt: '2026-11-26T09:00:00.000Z',
        }),
        source: 'two-articles.json: $[0]',
        idDerived: true,
        publishedAtGiven: false,
      }),
      expect.objectContaining({
        article: expect.objectContaining({
          id: 'village-bakery-bakes-a-bridge',
          publishedAt: '2026-11-21T06:00:00+01:00',
          lead: { images: [], paragraphs: [] },
        }),
        source: 'two-articles.json: $[1]',
        idDerived: false,
        publishedAtGiven: true,
      }),
    ]);
  });

  it('lets the publication time option win over the one in the file', () => {
    const article = only(parse(fixture('article.json'), { publishedAt: '2026-12-01T08:00:00Z' }));

    expect(article.publishedAt).toBe('2026-12-01T08:00:00Z');
  });

  it('reads a JSON file with a byte order mark', () => {
    const json = JSON.stringify({ headline: 'Headline', slides: [{ title: 'One' }] });
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(json)]);

    const article = only(parse({ name: 'bom.json', bytes }));

    expect(article.id).toBe('headline');
  });
});

describe('parseArticleFile: refused files', () => {
  it.each([
    ['empty.txt', 'empty.txt:1: the text is empty or blank'],
    ['blank.txt', 'blank.txt:1: the text is empty or blank'],
    ['headline-only.txt', 'headline-only.txt:1: the article has a headline but no slide'],
  ])('refuses %s, naming the file and line', (name, start) => {
    const error = fileError(fixture(name));

    expect(error.message.startsWith(start)).toBe(true);
    expect(error).toMatchObject({ file: name, line: 1 });
  });

  it('refuses a binary file', () => {
    const error = fileError(fixture('binary.bin'));

    expect(error.message).toBe('binary.bin: is a binary file (a NUL byte at offset 8), not text');
  });

  it('refuses bytes that are not UTF-8', () => {
    const error = fileError({
      name: 'latin1.txt',
      bytes: new Uint8Array([0x43, 0x61, 0x66, 0xe9]),
    });

    expect(error.message).toBe('latin1.txt: is not UTF-8 text: save it as UTF-8');
  });

  it('refuses a truncated JSON file, naming the line and column where it stops', () => {
    const error = fileError(fixture('truncated.json'));

    expect(error.message).toBe(
      'truncated.json:4:47: is not valid JSON: the text ends inside a string (is the file cut short?)',
    );
  });

  it.each([
    ['{"headline": "A",', 'the.json:1:18: is not valid JSON: the text ends before'],
    [
      '{\n  "headline": "A"\n  "slides": []\n}',
      'the.json:3:3: is not valid JSON: unexpected "\\""',
    ],
    ['[1, 2,]', 'the.json:1:7: is not valid JSON: unexpected "]"'],
    ['{"a": tru}', 'the.json:1:7: is not valid JSON: unexpected "t"'],
    ['{"a": 1} x', 'the.json:1:10: is not valid JSON: unexpected "x"'],
    ['{"a": "tab\there"}', 'the.json:1:11: is not valid JSON: unexpected "\\t"'],
  ])('refuses the invalid JSON %j at its line and column', (json, start) => {
    const error = fileError(textFile('the.json', json));

    expect(error.message.startsWith(start)).toBe(true);
  });

  it('refuses an empty JSON file', () => {
    const error = fileError(textFile('none.json', ' \n'));

    expect(error.message).toMatch(/^none\.json: is empty/);
  });

  it('refuses a javascript: image URL, naming its JSON path', () => {
    const error = fileError(fixture('javascript-url.json'));

    expect(error.message).toBe('javascript-url.json: $.slides[0].image.url: must be an https: URL');
    expect(error.path).toBe('$.slides[0].image.url');
  });

  it('names the array element of the first problem in a JSON array', () => {
    const json = JSON.stringify([
      { headline: 'Fine', slides: [{ title: 'One' }] },
      { headline: 'Bad', url: 'JavaScript:alert(1)', slides: [{ title: 'One' }] },
    ]);

    const error = fileError(textFile('two.json', json));

    expect(error.message).toBe('two.json: $[1].url: must be an https: URL');
  });

  it('names a missing headline as required', () => {
    const error = fileError(textFile('a.json', '{"slides": [{"title": "One"}]}'));

    expect(error.message).toBe('a.json: $.headline: is required (expected string)');
  });

  it('names a field the model does not know', () => {
    const json = '{"headline": "A", "lead": {"paragraphs": ["p"], "html": "<b>"}}';

    const error = fileError(textFile('a.json', json));

    expect(error.message).toBe('a.json: $.lead.html: is not a known field');
  });

  it('refuses a JSON article with neither a slide nor a lead paragraph', () => {
    const error = fileError(textFile('a.json', '{"headline": "A"}'));

    expect(error.message).toBe('a.json: $: an article needs at least one slide or lead paragraph');
  });

  it.each([
    ['a string', '"hello"'],
    ['a number', '42'],
    ['null', 'null'],
  ])('refuses a JSON file that holds %s', (_name, json) => {
    const error = fileError(textFile('a.json', json));

    expect(error.path).toBe('$');
  });

  it('refuses an empty JSON array', () => {
    const error = fileError(textFile('a.json', '[]'));

    expect(error.message).toBe('a.json: $: holds no article: the array is empty');
  });

  it('refuses two articles of one file that end up with the same id', () => {
    const article = { headline: 'Same Headline', slides: [{ title: 'One' }] };

    const error = fileError(textFile('a.json', JSON.stringify([article, article])));

    expect(error.message).toBe(
      'a.json: $[1].headline: gives the id "same-headline", which $[0] has already',
    );
  });

  it('refuses a text headline that gives no id, at its line', () => {
    const error = fileError(textFile('a.txt', '\n¿¡ … !?\n\n• One'));

    expect(error.message).toMatch(/^a\.txt:2: the headline has no letter or digit/);
  });

  it('accepts a headline that gives no id when an id is given', () => {
    const article = only(parse(textFile('a.txt', '¿¡ … !?\n\n• One'), { id: 'puzzled' }));

    expect(article.id).toBe('puzzled');
  });

  it('refuses a JSON headline that gives no id, naming its path', () => {
    const error = fileError(textFile('a.json', '{"headline": "…", "slides": [{"title": "x"}]}'));

    expect(error.path).toBe('$.headline');
  });

  it('refuses an id option that is not a slug', () => {
    const error = fileError(textFile('a.txt', 'Headline\n\n• One'), { id: 'Not A Slug' });

    expect(error.message).toMatch(/^a\.txt: the id "Not A Slug" must be a slug/);
  });

  it('refuses a publication time option that is not ISO 8601', () => {
    const error = fileError(textFile('a.txt', 'Headline\n\n• One'), { publishedAt: 'tomorrow' });

    expect(error.message).toMatch(/^a\.txt: the publication time "tomorrow" must be/);
  });

  it('refuses an id option for a JSON file of several articles', () => {
    const error = fileError(fixture('two-articles.json'), { id: 'one-id' });

    expect(error.path).toBe('$');
  });
});

describe('parseArticleFile: any file', () => {
  const validArticle = {
    headline: 'Harbour Choir',
    url: 'https://news.example.com/a',
    lead: { images: [{ credit: 'A/B', url: 'https://images.example.com/a.jpg' }], paragraphs: [] },
    slides: [{ title: 'One', image: { caption: 'C', width: 600 }, paragraphs: ['P'] }],
  };
  // Any JSON value, a valid article with one field replaced by any JSON value, or any text.
  const anyJson = fc.oneof(
    fc.jsonValue(),
    fc
      .tuple(
        fc.constantFrom('headline', 'url', 'lead', 'slides', 'id', 'publishedAt', 'tags', 'extra'),
        fc.jsonValue(),
      )
      .map(([field, value]) => ({ ...validArticle, [field]: value })),
  );
  const anyFile = fc.oneof(
    fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ name: 'any.txt', bytes })),
    fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ name: 'any.json', bytes })),
    fc.string({ unit: 'binary', maxLength: 300 }).map((text) => textFile('any.txt', text)),
    fc.string({ maxLength: 300 }).map((text) => textFile('any.json', text)),
    anyJson.map((value) => textFile('any.json', JSON.stringify(value))),
    anyJson.map((value) => textFile('any.json', JSON.stringify([validArticle, value]))),
  );

  it('gives valid articles or an ArticleFileError that names the file', () => {
    fc.assert(
      fc.property(anyFile, (file) => {
        let parsed: ParsedArticle[];
        try {
          parsed = parse(file);
        } catch (error) {
          expect(error).toBeInstanceOf(ArticleFileError);
          expect((error as ArticleFileError).message.startsWith(`${file.name}:`)).toBe(true);
          return;
        }
        for (const { article } of parsed) {
          expect(articleSchema.safeParse(article).success).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('places a JSON syntax error on a line and column inside the file', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), (value, cut) => {
        const json = JSON.stringify(value, null, 2);
        const truncated = json.slice(0, cut % (json.length + 1));
        fc.pre(truncated.trim() !== '');
        let error: ArticleFileError;
        try {
          parse(textFile('cut.json', truncated));
          return;
        } catch (caught) {
          error = caught as ArticleFileError;
        }
        if (error.line === undefined) return;
        const lines = truncated.split('\n');
        expect(error.line).toBeLessThanOrEqual(lines.length);
        expect(error.column).toBeLessThanOrEqual((lines[error.line - 1] ?? '').length + 1);
      }),
      { numRuns: 300 },
    );
  });
});
