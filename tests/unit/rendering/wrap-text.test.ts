import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tidyText } from '#core/rendering/tidy-text.ts';
import { wrapText } from '#core/rendering/wrap-text.ts';

describe('wrapText', () => {
  it('breaks a long paragraph at the last space before 72 columns', () => {
    const paragraph = `${'word '.repeat(20)}end`;

    const lines = wrapText(paragraph).split('\n');

    expect(lines[0]).toBe(`${'word '.repeat(13)}word`);
    expect(lines.every((line) => line.length <= 72)).toBe(true);
  });

  it('keeps a word longer than the width whole on its own line', () => {
    const url = `https://news.example.com/${'a'.repeat(80)}`;

    expect(wrapText(`Read ${url} now`)).toBe(`Read\n${url}\nnow`);
  });

  it('counts an emoji as one column', () => {
    expect(wrapText('🌻🌻🌻 🌻🌻', 6)).toBe('🌻🌻🌻 🌻🌻');
  });

  it('keeps the line breaks already in the text', () => {
    expect(wrapText('one\ntwo', 72)).toBe('one\ntwo');
  });

  it('never loses, adds or reorders a word, and folds lines of several words within the width', () => {
    const word = fc.stringMatching(/^[a-zA-Z0-9’🌻]{1,12}$/u);
    fc.assert(
      fc.property(
        fc.array(word, { maxLength: 60 }),
        fc.integer({ min: 12, max: 100 }),
        (words, width) => {
          const wrapped = wrapText(words.join(' '), width);

          expect(wrapped.split(/\s+/).filter(Boolean)).toEqual(words);
          for (const line of wrapped.split('\n')) {
            if (line.includes(' ')) expect([...line].length).toBeLessThanOrEqual(width);
          }
        },
      ),
    );
  });
});

describe('tidyText', () => {
  it('leaves at most one blank line between blocks and ends with one newline', () => {
    expect(tidyText('\n\nA  \n\n\n\nB\n\n\n')).toBe('A\n\nB\n');
  });
});
