import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ArticleInput, articleInputSchema, articleSchema } from '#core/articles/article.ts';
import { articleIdFromHeadline } from '#core/articles/article-id.ts';
import { isPhotoCredit, parseSlideshow, SlideshowError } from '#core/articles/parse-slideshow.ts';
import { textsOf } from '../support/articles.ts';

/** Joins lines with LF so that each test shows its input line by line. */
const text = (...lines: string[]): string => lines.join('\n');

const parse = (input: string): ArticleInput => parseSlideshow(input, 'story.txt').article;

/** The error that `parseSlideshow` throws for `input`, or a failure if it throws none. */
function slideshowError(input: string): SlideshowError {
  try {
    parse(input);
  } catch (error) {
    if (error instanceof SlideshowError) return error;
    throw error;
  }
  throw new Error('expected a SlideshowError, but the text was accepted');
}

const NBSP = '\u00a0';

describe('parseSlideshow: headline and lead', () => {
  it('takes the first non-empty line as the headline', () => {
    const article = parse(text('', '   ', 'Harbour Choir Sings at Dawn', '', 'They sang.'));

    expect(article.headline).toBe('Harbour Choir Sings at Dawn');
  });

  it('reads a lone credit line in the lead as a photo without a caption', () => {
    const article = parse(text('Headline', '', 'Nora Quinn/Example Pictures', '', 'Intro.'));

    expect(article.lead.images).toEqual([{ credit: 'Nora Quinn/Example Pictures' }]);
  });

  it('reads a caption line followed by a credit line in the lead as a captioned photo', () => {
    const article = parse(
      text('Headline', '', 'The choir on deck', 'Nora Quinn/Example Pictures', '', 'Intro.'),
    );

    expect(article.lead.images).toEqual([
      { caption: 'The choir on deck', credit: 'Nora Quinn/Example Pictures' },
    ]);
  });

  it('reads other lead blocks as intro paragraphs, joining the lines of a block with a space', () => {
    const article = parse(text('Headline', '', 'Forty singers', 'boarded the ferry.', '', 'Then…'));

    expect(article.lead.paragraphs).toEqual(['Forty singers boarded the ferry.', 'Then…']);
  });

  it('treats lines right under the headline as the first lead block', () => {
    const article = parse(text('Headline', 'Nora Quinn/Example Pictures', '', 'Intro.'));

    expect(article.lead.images).toEqual([{ credit: 'Nora Quinn/Example Pictures' }]);
  });

  it('keeps lead photos and paragraphs in their own order', () => {
    const article = parse(
      text('Headline', '', 'First.', '', 'A/B', '', 'Caption', 'C/D', '', 'Second.'),
    );

    expect(article.lead).toEqual({
      images: [{ credit: 'A/B' }, { caption: 'Caption', credit: 'C/D' }],
      paragraphs: ['First.', 'Second.'],
    });
  });
});

describe('parseSlideshow: slides', () => {
  it('starts a slide at a • bullet and takes the rest of the line as its title', () => {
    const article = parse(text('Headline', '', '  • The captain joined in.'));

    expect(article.slides).toEqual([{ title: 'The captain joined in.', paragraphs: [] }]);
  });

  it.each([
    ['*', '* The captain joined in.'],
    ['-', '- The captain joined in.'],
    ['• with no space', '•The captain joined in.'],
  ])('accepts the %s bullet', (_name, line) => {
    const article = parse(text('Headline', '', line));

    expect(article.slides.map((slide) => slide.title)).toEqual(['The captain joined in.']);
  });

  it.each([
    ['a negative number', '-5 degrees at dawn.'],
    ['emphasis', '*Really* cold.'],
    ['a dash', '--- and then silence.'],
  ])('does not take a line starting with %s for a bullet', (_name, line) => {
    const article = parse(text('Headline', '', line));

    expect(article).toMatchObject({ slides: [], lead: { paragraphs: [line] } });
  });

  it('starts a new slide at a bullet right after a paragraph, with no blank line between', () => {
    const article = parse(
      text('Headline', '', '• One', '  Body of one.', '• Two', '  Body of two.'),
    );

    expect(article.slides).toEqual([
      { title: 'One', paragraphs: ['Body of one.'] },
      { title: 'Two', paragraphs: ['Body of two.'] },
    ]);
  });

  it('drops an Advertisement slide, with anything under it', () => {
    const article = parse(
      text(
        'Headline',
        '',
        '• One',
        '• Advertisement',
        '',
        '  Buy now!',
        '• Two',
        '- ADVERTISEMENT',
      ),
    );

    expect(article.slides.map((slide) => slide.title)).toEqual(['One', 'Two']);
  });

  it('reads a caption and credit as the first block of a slide as its photo', () => {
    const article = parse(
      text('Headline', '', '• One', '', '  Captain at the wheel', '  Nora Quinn/Example Pictures'),
    );

    expect(article.slides[0]?.image).toEqual({
      caption: 'Captain at the wheel',
      credit: 'Nora Quinn/Example Pictures',
    });
  });

  it('reads a lone credit as the first block of a slide as a photo without a caption', () => {
    const article = parse(text('Headline', '', '• One', '', '  Nora Quinn/Example Pictures'));

    expect(article.slides[0]).toEqual({
      title: 'One',
      image: { credit: 'Nora Quinn/Example Pictures' },
      paragraphs: [],
    });
  });

  it('reads a photo block directly under the bullet line', () => {
    const article = parse(text('Headline', '', '• One', '  Caption', '  A/B', '', '  Body.'));

    expect(article.slides[0]).toEqual({
      title: 'One',
      image: { caption: 'Caption', credit: 'A/B' },
      paragraphs: ['Body.'],
    });
  });

  it('reads a credit-like block after the first block of a slide as a paragraph', () => {
    const article = parse(text('Headline', '', '• One', '', '  Body.', '', '  Nora Quinn/Example'));

    expect(article.slides[0]).toEqual({
      title: 'One',
      paragraphs: ['Body.', 'Nora Quinn/Example'],
    });
  });

  it('reads a first block of three lines ending in a credit as a paragraph', () => {
    const article = parse(text('Headline', '', '• One', '', '  Line one', '  line two', '  A/B'));

    expect(article.slides[0]).toEqual({ title: 'One', paragraphs: ['Line one line two A/B'] });
  });

  it('joins the lines of a slide paragraph with a space', () => {
    const article = parse(text('Headline', '', '• One', '', '  It held', '  two ducks.'));

    expect(article.slides[0]?.paragraphs).toEqual(['It held two ducks.']);
  });
});

describe('parseSlideshow: the credit rule', () => {
  it.each([
    ['photographer and agency', 'Nora Quinn/Example Pictures'],
    ['several slashes', 'Ravi Shah/MG24/Example Pictures for City Gardens/Bloom'],
    ['exactly 100 characters', `${'a'.repeat(50)}/${'b'.repeat(49)}`],
    ['a closing word without a full stop', 'Open 24/7 all summer'],
  ])('takes a line with %s for a credit', (_name, line) => {
    expect(isPhotoCredit(line)).toBe(true);
  });

  it.each([
    ['no slash', 'Nora Quinn, Example Pictures'],
    ['a sentence ending in a full stop', 'The café is open 24/7 during filming.'],
    ['a sentence ending in a question mark', 'Is it open 24/7?'],
    ['a sentence ending in an exclamation and a quote', 'She said “open 24/7!”'],
    ['a sentence ending in a full stop and a straight quote', 'He said "24/7."'],
    ['a sentence ending in a full stop and a guillemet', 'Elle a dit « 24/7. »'],
    ['more than 100 characters', `${'a'.repeat(50)}/${'b'.repeat(50)}`],
    ['a space before a slash', 'Nora Quinn /Example Pictures'],
    ['a space after a slash', 'Nora Quinn/ Example Pictures'],
    ['nothing between two slashes', 'Nora Quinn//Example Pictures'],
    ['a slash at the start', '/Example Pictures'],
    ['a slash at the end', 'Nora Quinn/'],
  ])('does not take a line with %s for a credit', (_name, line) => {
    expect(isPhotoCredit(line)).toBe(false);
  });

  it('reads a one-line sentence containing a slash as a paragraph, not a photo', () => {
    const article = parse(text('Headline', '', '• One', '', '  The café is open 24/7.'));

    expect(article.slides[0]).toEqual({ title: 'One', paragraphs: ['The café is open 24/7.'] });
  });

  it('counts length in characters, so a credit with emoji is not cut short by code units', () => {
    const credit = `${'📷'.repeat(49)}/${'b'.repeat(50)}`;

    expect(isPhotoCredit(credit)).toBe(true);
  });
});

describe('parseSlideshow: whitespace and characters', () => {
  it('turns non-breaking spaces into spaces and collapses runs of spaces', () => {
    const article = parse(text(`Pop${NBSP}Star  Swaps${NBSP} ${NBSP}Stage`, '', 'Intro.'));

    expect(article.headline).toBe('Pop Star Swaps Stage');
  });

  it('trims lines, including trailing non-breaking spaces and tabs', () => {
    const article = parse(text('Headline', '', `\t• One.${NBSP} ${NBSP}\t`));

    expect(article.slides[0]?.title).toBe('One.');
  });

  it('reads CRLF line endings like LF', () => {
    const article = parse('Headline\r\n\r\nCaption\r\nA/B\r\n\r\n• One\r\n  Body.\r\n');

    expect(article).toEqual({
      headline: 'Headline',
      lead: { images: [{ caption: 'Caption', credit: 'A/B' }], paragraphs: [] },
      slides: [{ title: 'One', paragraphs: ['Body.'] }],
    });
  });

  it('reads old Mac CR line endings like LF', () => {
    const article = parse('Headline\r\rIntro\rcontinued.\r• One');

    expect(article).toMatchObject({
      lead: { paragraphs: ['Intro continued.'] },
      slides: [{ title: 'One' }],
    });
  });

  it('takes tab indentation as indentation only', () => {
    const article = parse(text('Headline', '', '\t•\tOne', '\t\tCaption', '\t\tA/B'));

    expect(article.slides[0]).toEqual({
      title: 'One',
      image: { caption: 'Caption', credit: 'A/B' },
      paragraphs: [],
    });
  });

  it('keeps emoji, curly quotes and accents exactly', () => {
    const line = '“She’s back,” said Zoë — «encore» 🎤🏳️‍🌈 ‘¡sí!’';

    const article = parse(text('Headline', '', line));

    expect(article.lead.paragraphs).toEqual([line]);
  });

  it('keeps markup-like text as plain text, untouched', () => {
    const markup = '<b>{{recipient.email}}</b> {{{x}}} &amp;';

    const article = parse(text('Headline', '', `• ${markup}`, '', markup, 'A/B', '', markup));

    expect(article.slides[0]).toEqual({
      title: markup,
      image: { caption: markup, credit: 'A/B' },
      paragraphs: [markup],
    });
  });
});

describe('parseSlideshow: errors', () => {
  it('refuses empty text at line 1', () => {
    const error = slideshowError('');

    expect(error).toMatchObject({ source: 'story.txt', line: 1 });
    expect(error.message).toMatch(/^story\.txt:1: /);
  });

  it('refuses text of only blank lines, tabs and non-breaking spaces at line 1', () => {
    const error = slideshowError(text('   ', '\t', `${NBSP}${NBSP}`, ''));

    expect(error.line).toBe(1);
  });

  it('refuses a headline with no slide and no intro paragraph, at the headline line', () => {
    const error = slideshowError(text('', '', 'Quiet Week at the Studio', ''));

    expect(error.message).toBe(
      'story.txt:3: the article has a headline but no slide and no intro paragraph: add a "• " bullet slide or a paragraph',
    );
  });

  it('refuses an article whose only content is lead photos', () => {
    const error = slideshowError(text('Headline', '', 'A/B', '', 'Caption', 'C/D'));

    expect(error.line).toBe(1);
  });

  it('refuses an article whose only slides are advertisements', () => {
    const error = slideshowError(text('Headline', '', '• Advertisement', '• Advertisement'));

    expect(error.line).toBe(1);
  });

  it.each([
    ['•', '  •  '],
    ['*', '*'],
    ['-', `-${NBSP}`],
  ])('refuses a %s bullet with no title, at its line', (_name, bullet) => {
    const error = slideshowError(text('Headline', '', '• One', '', bullet, '  Body.'));

    expect(error.message).toBe('story.txt:5: a slide bullet needs a title after it');
  });

  it('refuses a text whose first line is a bullet, at that line', () => {
    const error = slideshowError(text('', '• Where is the headline?', '  Body.'));

    expect(error.line).toBe(2);
  });

  it('is an Error whose name says what it is', () => {
    const error = slideshowError('');

    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('SlideshowError');
  });
});

// Inputs for the property test: lines built from the pieces of the format, in any order.
const word = fc.constantFrom('Choir', 'sings', 'at', 'dawn', '24/7', '“quoted”', '🎤', 'é', '.');
const words = fc.array(word, { minLength: 0, maxLength: 6 }).map((list) => list.join(' '));
const space = fc.constantFrom('', ' ', '  ', '\t', NBSP, ` ${NBSP} `);
const grammarLine = fc.oneof(
  fc.constant(''),
  space,
  fc.tuple(space, fc.constantFrom('•', '* ', '- ', '*', '-', '• '), words).map((p) => p.join('')),
  fc.tuple(space, fc.constantFrom('• Advertisement', '- advertisement')).map((p) => p.join('')),
  fc.tuple(space, words, fc.constantFrom('/', ' / ', '//'), words).map((p) => p.join('')),
  fc.tuple(space, words, space).map((p) => p.join('')),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
);
const grammarText = fc
  .tuple(fc.array(grammarLine, { maxLength: 25 }), fc.constantFrom('\n', '\r\n', '\r'))
  .map(([lines, end]) => lines.join(end));

const anyText = fc.oneof(
  grammarText,
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  // Characters that matter to the format, and the other whitespace that JavaScript trims.
  fc.string({
    unit: fc.constantFrom(
      ...['a', ' ', '\n', '\r', '\t', NBSP, '/', '•', '*', '-', '.', '”'],
      ...['\u3000', '\u2028', '\ufeff', '\u2003', '\v', '\f', '\u0085'],
    ),
  }),
);

/**
 * The article the parser makes of `input`, or its refusal: a `SlideshowError` with a line
 * number. Any other error is a fault of the parser, and is thrown on.
 */
function articleOrRefusal(input: string): ArticleInput | SlideshowError {
  try {
    return parseSlideshow(input, 'any.txt').article;
  } catch (error) {
    if (error instanceof SlideshowError && Number.isInteger(error.line)) return error;
    throw error;
  }
}

/** What became of `input`, in words a failing run shows. */
function verdictOn(input: string): string {
  const outcome = articleOrRefusal(input);
  if (outcome instanceof SlideshowError) {
    const lines = input.split(/\r\n|\r|\n/).length;
    return outcome.line >= 1 && outcome.line <= lines
      ? 'refused at a line of the text'
      : `refused at line ${outcome.line} of a text of ${lines} lines`;
  }
  if (!articleInputSchema.safeParse(outcome).success) return 'an invalid article';
  const id = articleIdFromHeadline(outcome.headline) || 'fallback-id';
  const stored = { ...outcome, id, publishedAt: '2026-11-26T09:00:00Z' };
  return articleSchema.safeParse(stored).success ? 'a valid article' : 'an article not storable';
}

describe('parseSlideshow: any text', () => {
  it('gives a valid article or a SlideshowError with a line of the text', () => {
    fc.assert(
      fc.property(anyText, (input) => {
        expect(['a valid article', 'refused at a line of the text']).toContain(verdictOn(input));
      }),
      { numRuns: 500 },
    );
  });

  it('leaves no non-breaking space, double space or untrimmed text in what it returns', () => {
    fc.assert(
      fc.property(grammarText, (input) => {
        fc.pre(!/^\s*$/.test(input));
        const outcome = articleOrRefusal(input);
        const fields = outcome instanceof SlideshowError ? [] : textsOf(outcome);

        expect(fields.filter((field) => /\u00a0| {2}|\t|^ | $/.test(field))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
