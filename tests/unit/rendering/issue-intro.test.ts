import { describe, expect, it } from 'vitest';
import { IntroError } from '#core/rendering/intro-error.ts';
import { introParagraphs, MAX_INTRO_LENGTH } from '#core/rendering/issue-intro.ts';

/** The error `introParagraphs` throws for `intro`, or undefined when it accepts it. */
function refusal(intro: string): unknown {
  try {
    introParagraphs(intro);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('introParagraphs', () => {
  it('starts a new paragraph at each blank line, however many and however indented', () => {
    const intro = 'First paragraph.\n\nSecond paragraph.\n  \t\n\n\nThird paragraph.';

    expect(introParagraphs(intro)).toEqual([
      'First paragraph.',
      'Second paragraph.',
      'Third paragraph.',
    ]);
  });

  it('joins the lines of a paragraph with one space, so hard-wrapped text reflows', () => {
    const intro = 'This week the harbour froze over,\nand the ferry   stayed\tin port.\n\nAda';

    expect(introParagraphs(intro)).toEqual([
      'This week the harbour froze over, and the ferry stayed in port.',
      'Ada',
    ]);
  });

  it('reads Windows and old Mac line ends as newlines', () => {
    expect(introParagraphs('One\r\ntwo\r\n\r\nThree\r\rFour\r\n')).toEqual([
      'One two',
      'Three',
      'Four',
    ]);
  });

  it('keeps markup, braces and addresses as text, and keeps no-break spaces', () => {
    const intro = '<b>Hi</b> {{recipient.email}} https://example.com/?a=1&b=2 10\u00a0km';

    expect(introParagraphs(intro)).toEqual([intro]);
  });

  it('trims the note, leaving no empty paragraph at either end', () => {
    expect(introParagraphs('\n\n  Hello.  \n\n\n')).toEqual(['Hello.']);
  });

  it('accepts a note of exactly the longest length, counting an emoji once', () => {
    const intro = '🌻'.repeat(MAX_INTRO_LENGTH);

    expect(introParagraphs(intro)).toEqual([intro]);
  });

  it.each([
    ['empty', ''],
    ['only spaces and blank lines', ' \n\t\n \r\n '],
    ['only a no-break space', '\u00a0'],
  ])('refuses a note that is %s', (_, intro) => {
    const error = refusal(intro);

    expect(error).toBeInstanceOf(IntroError);
    expect((error as Error).message).toContain('empty');
  });

  it('refuses a note longer than the limit, saying how long it is', () => {
    const error = refusal(`  ${'a'.repeat(MAX_INTRO_LENGTH + 1)}  `);

    expect(error).toBeInstanceOf(IntroError);
    expect((error as Error).message).toContain(`${MAX_INTRO_LENGTH + 1} characters`);
    expect((error as Error).message).toContain(`more than ${MAX_INTRO_LENGTH}`);
  });

  it.each([
    ['NUL', '\u0000', 'U+0000'],
    ['a bell', '\u0007', 'U+0007'],
    ['a vertical tab', '\u000b', 'U+000B'],
    ['a form feed', '\u000c', 'U+000C'],
    ['an escape', '\u001b', 'U+001B'],
    ['DEL', '\u007f', 'U+007F'],
    ['a C1 control', '\u0085', 'U+0085'],
  ])('refuses %s, naming it and where it is', (_, character, name) => {
    const error = refusal(`Dear readers,\r\n\r\nthis is ${character}odd.`);

    expect(error).toBeInstanceOf(IntroError);
    expect((error as Error).message).toContain(
      `line 3, column 9 holds the control character ${name}`,
    );
  });
});
