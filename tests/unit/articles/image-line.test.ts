import { describe, expect, it } from 'vitest';
import { ArticleFileError, parseArticleFile } from '#core/articles/parse-article-file.ts';
import { parseSlideshow, SlideshowError } from '#core/articles/parse-slideshow.ts';

const text = (...lines: string[]): string => lines.join('\n');
const read = (input: string) => parseSlideshow(input, 'story.txt');

/** The refusal of `input`, or a failure if the parser accepts it. */
function refusal(input: string): SlideshowError {
  try {
    read(input);
  } catch (error) {
    if (error instanceof SlideshowError) return error;
    throw error;
  }
  throw new Error('expected a SlideshowError, but the text was accepted');
}

describe('image lines in slideshow text', () => {
  it('records a local file before a caption and credit, with its line, and leaves its url to the importer', () => {
    const { article, images } = read(
      text(
        'Headline',
        '',
        'photos/dock.jpg',
        'The dock at dawn',
        'Ana Ruiz/Harbour Press',
        '',
        'Intro.',
      ),
    );

    expect(article.lead.images).toEqual([
      { caption: 'The dock at dawn', credit: 'Ana Ruiz/Harbour Press' },
    ]);
    expect(images).toEqual([
      {
        file: 'story.txt',
        slot: { lead: 0 },
        kind: 'file',
        source: 'photos/dock.jpg',
        location: { line: 3 },
      },
    ]);
  });

  it('reads an image line before a lone credit, in a slide, after CRLF and indentation', () => {
    const { article, images } = read(
      'Headline\r\n\r\nIntro.\r\n\t• A slide.\r\n\t\t../common/Quay.PNG\r\n\t\tAna Ruiz/Harbour Press\r\n',
    );

    expect(article.slides[0]?.image).toEqual({ credit: 'Ana Ruiz/Harbour Press' });
    expect(images).toEqual([
      expect.objectContaining({
        slot: { slide: 0 },
        source: '../common/Quay.PNG',
        location: { line: 5 },
      }),
    ]);
  });

  it('gives an https: image its address as url, and says it is remote', () => {
    const { article, images } = read(
      text('Headline', '', 'Intro.', '• A slide.', 'https://images.example.com/a.jpg?w=2', 'A/B'),
    );

    expect(article.slides[0]?.image).toEqual({
      credit: 'A/B',
      url: 'https://images.example.com/a.jpg?w=2',
    });
    expect(images[0]).toMatchObject({ kind: 'https', location: { line: 5 } });
  });

  it('counts slides after dropped advertisements, and ignores an advertisement image', () => {
    const { article, images } = read(
      text(
        'Headline',
        '',
        'Intro.',
        '• Advertisement',
        'ad.jpg',
        'X/Y',
        '• Real.',
        'real.jpg',
        'X/Y',
      ),
    );

    expect(article.slides.map((slide) => slide.title)).toEqual(['Real.']);
    expect(images.map(({ slot, source }) => ({ slot, source }))).toEqual([
      { slot: { slide: 0 }, source: 'real.jpg' },
    ]);
  });

  it.each([
    ['a caption with spaces', 'The café, open 24/7'],
    ['a time', '10:30'],
    ['a one-word caption', 'Dawn'],
    ['a credit', 'Ana Ruiz/Harbour Press'],
  ])('never takes %s for an image line', (_, caption) => {
    const { article, images } = read(
      text('Headline', '', caption, 'Ana Ruiz/Harbour Press', '', 'Intro.'),
    );

    expect(images).toEqual([]);
    expect(article.lead.images).toEqual([{ caption, credit: 'Ana Ruiz/Harbour Press' }]);
  });

  it('leaves a block without an image line as it was: the photo has no url', () => {
    const { article, images } = read(text('Headline', '', 'Caption', 'A/B', '', 'Intro.'));

    expect(images).toEqual([]);
    expect(article.lead.images).toEqual([{ caption: 'Caption', credit: 'A/B' }]);
  });

  it.each([
    ['http:', 'http://images.example.com/a.jpg', /http: is refused/],
    ['javascript:', 'javascript:alert(1)', /javascript: is refused/],
    ['data:', 'data:image/png;base64,iVBORw0KGgo=', /data: is refused/],
    ['upper-case HTTPS:', 'HTTPS://images.example.com/a.jpg', /lower case/],
  ])('refuses an image address that is %s, naming the line', (_, address, problem) => {
    const error = refusal(text('Headline', '', 'Intro.', '• Slide.', address, 'Caption', 'A/B'));

    expect(error.line).toBe(5);
    expect(error.message).toMatch(/^story\.txt:5: /);
    expect(error.problem).toMatch(problem);
  });

  it.each([
    ['with no caption or credit after it', ['photo.jpg', '', 'Intro.'], 3],
    ['after the caption', ['Caption', 'photo.jpg', 'A/B', '', 'Intro.'], 4],
    ['followed by a paragraph', ['photo.jpg', 'Forty singers boarded.', 'They sang.'], 3],
  ])('refuses an image line %s, naming its line', (_, lead, line) => {
    const error = refusal(text('Headline', '', ...lead));

    expect(error.line).toBe(line);
    expect(error.problem).toMatch(/an image line goes first in its block/);
  });

  it('refuses an image line in a later block of a slide: a slide has one photo', () => {
    const error = refusal(
      text('Headline', '', 'Intro.', '• Slide.', 'Caption', 'A/B', '', 'second.jpg', 'A/B'),
    );

    expect(error.line).toBe(8);
    expect(error.problem).toMatch(/a slide has one photo/);
  });

  it('names the article file and line through parseArticleFile', () => {
    const bytes = new TextEncoder().encode(text('Headline', '', 'http://x.example/a.jpg', 'A/B'));

    const attempt = () => parseArticleFile({ name: 'kites.txt', bytes }, { now: new Date() });

    expect(attempt).toThrow(ArticleFileError);
    expect(attempt).toThrow(/^kites\.txt:3: the image address/);
  });
});

describe('images of JSON articles', () => {
  it('keeps url, width and height, and lists each https: photo by the JSON path of its url', () => {
    const article = {
      headline: 'Trams',
      lead: {
        images: [
          { credit: 'A/B', url: 'https://images.example.com/t.jpg', width: 600, height: 400 },
        ],
        paragraphs: ['Intro.'],
      },
      slides: [{ title: 'No photo.' }, { title: 'Photo.', image: { caption: 'No url' } }],
    };
    const bytes = new TextEncoder().encode(JSON.stringify([article]));

    const [parsed] = parseArticleFile({ name: 'trams.json', bytes }, { now: new Date() });

    expect(parsed?.article.lead.images[0]).toEqual(article.lead.images[0]);
    expect(parsed?.images).toEqual([
      {
        file: 'trams.json',
        slot: { lead: 0 },
        kind: 'https',
        source: 'https://images.example.com/t.jpg',
        location: { path: '$[0].lead.images[0].url' },
      },
    ]);
  });

  it('still refuses an http: photo address in JSON, even on loopback', () => {
    const bytes = new TextEncoder().encode(
      JSON.stringify({
        headline: 'Trams',
        lead: { images: [{ credit: 'A/B', url: 'http://127.0.0.1/t.jpg' }], paragraphs: ['x'] },
      }),
    );

    expect(() => parseArticleFile({ name: 'trams.json', bytes }, { now: new Date() })).toThrow(
      /trams\.json: \$\.lead\.images\[0\]\.url: must be an https: URL/,
    );
  });
});
