import type { ArticleInput, Image, Slide } from './article.ts';

/** A slideshow text that cannot be read, with the 1-based line that shows why. */
export class SlideshowError extends Error {
  override readonly name = 'SlideshowError';
  /** What the text came from, usually its file name. */
  readonly source: string;
  /** The 1-based line number of the problem. */
  readonly line: number;
  /** What is wrong, without the `source:line:` prefix. */
  readonly problem: string;

  constructor(source: string, line: number, problem: string) {
    super(`${source}:${line}: ${problem}`);
    this.source = source;
    this.line = line;
    this.problem = problem;
  }
}

/** The longest photo credit line, in characters (code points). */
export const MAX_CREDIT_LENGTH = 100;

// Closing quotes may follow the full stop, after a space in French typography.
const SENTENCE_END = /[.!?](?:\s?["'”’»])*$/u;

/**
 * Splits text into lines as the slideshow format reads them (docs/article-format.md):
 * CRLF, CR and LF all end a line; non-breaking spaces and tabs count as spaces; runs of
 * spaces collapse to one; each line is trimmed. Every other character is kept.
 */
export function slideshowLines(text: string): string[] {
  // `trim` removes exactly what zod's `.trim()` removes, so a line we keep is never
  // blank to the article schema.
  return text.split(/\r\n|\r|\n/).map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim());
}

/**
 * True when a (normalised) line is a photo credit: at most 100 characters, text on both
 * sides of every `/`, and not ending like a sentence (`.`, `!`, `?`, maybe then a quote).
 */
export function isPhotoCredit(line: string): boolean {
  if (!line.includes('/') || [...line].length > MAX_CREDIT_LENGTH) return false;
  if (SENTENCE_END.test(line)) return false;
  return line.split('/').every((part) => part.length > 0 && !/^\s|\s$/u.test(part));
}

/** The title after a slide bullet, or `undefined` when the line is not a bullet. */
function bulletTitle(line: string): string | undefined {
  if (line.startsWith('•')) return line.slice(1).trim();
  if (/^[*-](?: |$)/.test(line)) return line.slice(1).trim();
  return undefined;
}

interface Block {
  lines: string[];
}

interface RawSlide {
  title: string;
  blocks: Block[];
}

function photoOf(block: Block): Image | undefined {
  const [first, second, ...rest] = block.lines;
  if (first === undefined || rest.length > 0) return undefined;
  if (second === undefined) return isPhotoCredit(first) ? { credit: first } : undefined;
  return isPhotoCredit(second) ? { caption: first, credit: second } : undefined;
}

const paragraphOf = (block: Block): string => block.lines.join(' ');

const isAdvertisement = (title: string): boolean => /^advertisement$/i.test(title);

/**
 * Reads a slideshow article pasted as text (docs/article-format.md): headline, lead photos
 * and intro, then bullet slides. Returns the article without `id` or `publishedAt`,
 * which the importer fills in.
 *
 * @param text the whole article text
 * @param source a name for the text in error messages, usually its file name
 * @throws {SlideshowError} when the text is blank, starts with a bullet, has a bullet
 *   with no title, or has no slide and no intro paragraph
 */
export function parseSlideshow(text: string, source: string): ArticleInput {
  const lines = slideshowLines(text);
  const headlineIndex = lines.findIndex((line) => line !== '');
  const headline = lines[headlineIndex];
  if (headline === undefined) {
    throw new SlideshowError(
      source,
      1,
      'the text is empty or blank: its first line must be the headline',
    );
  }
  const headlineLine = headlineIndex + 1;
  if (bulletTitle(headline) !== undefined) {
    throw new SlideshowError(
      source,
      headlineLine,
      'the first line is a slide bullet: put the headline on the first line',
    );
  }

  const leadBlocks: Block[] = [];
  const rawSlides: RawSlide[] = [];
  let blocks = leadBlocks;
  let block: Block | undefined;
  for (let index = headlineIndex + 1; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    if (line === '') {
      block = undefined;
      continue;
    }
    const title = bulletTitle(line);
    if (title === undefined) {
      if (block === undefined) {
        block = { lines: [] };
        blocks.push(block);
      }
      block.lines.push(line);
      continue;
    }
    if (title === '') {
      throw new SlideshowError(source, index + 1, 'a slide bullet needs a title after it');
    }
    block = undefined;
    blocks = [];
    rawSlides.push({ title, blocks });
  }

  const images: Image[] = [];
  const paragraphs: string[] = [];
  for (const leadBlock of leadBlocks) {
    const photo = photoOf(leadBlock);
    if (photo === undefined) paragraphs.push(paragraphOf(leadBlock));
    else images.push(photo);
  }

  const slides: Slide[] = [];
  for (const raw of rawSlides) {
    if (isAdvertisement(raw.title)) continue;
    const [first, ...others] = raw.blocks;
    const image = first === undefined ? undefined : photoOf(first);
    const body = image === undefined ? raw.blocks : others;
    slides.push({
      title: raw.title,
      ...(image === undefined ? {} : { image }),
      paragraphs: body.map(paragraphOf),
    });
  }

  if (slides.length === 0 && paragraphs.length === 0) {
    throw new SlideshowError(
      source,
      headlineLine,
      'the article has a headline but no slide and no intro paragraph: add a "• " bullet slide or a paragraph',
    );
  }
  return { headline, lead: { images, paragraphs }, slides };
}
