import { hasControlCharacter } from '../common/control-characters.ts';
import { IntroError } from './intro-error.ts';

/**
 * Longest editor's note, in characters (code points, so an emoji counts once). About 300
 * words: a note longer than that pushes the first story off the first screen of a phone, and
 * escaped for HTML (quotes and `&` become 5-6 byte entities) it could take 12 KB of the HTML
 * budget that would otherwise carry stories.
 */
export const MAX_INTRO_LENGTH = 2000;

/** One or more blank lines (a blank line may hold spaces and tabs). */
const BLANK_LINES = /\n(?:[ \t]*\n)+/;

/**
 * The paragraphs of an editor's note, written as plain text: blank lines separate
 * paragraphs; inside a paragraph, line breaks, tabs and runs of spaces become one space, as
 * in an article's intro paragraphs. So a note hard-wrapped in a text editor reflows to the
 * width of the reader's screen instead of breaking mid-sentence on a phone; a line of its own
 * (a sign-off) takes a blank line before it. Windows (`\r\n`) and old Mac (`\r`) line ends
 * count as newlines. The paragraphs are text, never markup or a template: the templates
 * escape them like article text, and an address in them stays text.
 * @throws IntroError when the note is empty after trimming, longer than
 *   {@link MAX_INTRO_LENGTH} characters, or holds a control character other than newline
 *   and tab
 */
export function introParagraphs(intro: string): string[] {
  const text = intro.replace(/\r\n?/g, '\n');
  const control = firstControlCharacter(text);
  if (control) {
    throw new IntroError(
      `intro: line ${control.line}, column ${control.column} holds the control character ${control.name}: an editor's note is plain text, in which only newlines and tabs may appear`,
    );
  }
  const trimmed = text.trim();
  if (trimmed === '') {
    throw new IntroError("intro: the editor's note is empty: write some text, or leave it out");
  }
  const length = [...trimmed].length;
  if (length > MAX_INTRO_LENGTH) {
    throw new IntroError(
      `intro: the editor's note has ${length} characters, more than ${MAX_INTRO_LENGTH}: shorten it to a few short paragraphs`,
    );
  }
  return trimmed
    .split(BLANK_LINES)
    .map((block) => block.replace(/[ \t\n]+/g, ' ').trim())
    .filter((paragraph) => paragraph !== '');
}

/** Where the first control character other than newline and tab is, 1-based. */
function firstControlCharacter(text: string) {
  let line = 1;
  let column = 1;
  for (const character of text) {
    if (character === '\n') {
      line++;
      column = 1;
      continue;
    }
    if (character !== '\t' && hasControlCharacter(character)) {
      const code = character.codePointAt(0) ?? 0;
      const name = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
      return { line, column, name };
    }
    column++;
  }
  return undefined;
}
