import type { ArticleInput, Image, Slide } from './article.ts';
import { imageLineSource, isImageLine } from './image-line.ts';
import type { ImageReference, ImageSlot } from './image-reference.ts';

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
  /** The 1-based line number of the block's first line; its lines follow one another. */
  start: number;
}

/** A photo read from a block, and the image line before it, if the block has one. */
interface Photo {
  image: Image;
  imageLine?: { source: string; line: number };
}

interface RawSlide {
  title: string;
  blocks: Block[];
}

/**
 * The photo of a block, or undefined when the block is a paragraph. A photo is a credit
 * line, or a caption line and a credit line, perhaps after an image line.
 * @throws {SlideshowError} when the block starts with an image line that no caption and
 *   credit follow, or has an image line after its first line where it would be a photo
 */
function photoOf(block: Block, source: string): Photo | undefined {
  const [first, ...rest] = block.lines;
  if (first === undefined) return undefined;
  if (!isImageLine(first)) {
    // `Caption`, `photo.jpg`, `Credit/Agency`: a photo written in the wrong order would
    // otherwise print its file name as a caption or in a paragraph.
    const misplaced = rest.findIndex(isImageLine);
    if (misplaced >= 0 && rest.length <= 2 && isPhotoCredit(rest.at(-1) ?? '')) {
      throw new SlideshowError(source, block.start + 1 + misplaced, imageLineFirst);
    }
    const image = captionAndCredit(block.lines);
    return image === undefined ? undefined : { image };
  }
  const image = captionAndCredit(rest);
  if (image === undefined) {
    throw new SlideshowError(source, block.start, imageLineFirst);
  }
  return { image, imageLine: { source: first, line: block.start } };
}

const imageLineFirst =
  "an image line goes first in its block, right above the photo's caption and credit " +
  '(or a credit alone), with no blank line between';

/** A credit line alone, or a caption line then a credit line, as an image. */
function captionAndCredit(lines: readonly string[]): Image | undefined {
  const [first, second, ...rest] = lines;
  if (first === undefined || rest.length > 0) return undefined;
  if (second === undefined) return isPhotoCredit(first) ? { credit: first } : undefined;
  return isPhotoCredit(second) ? { caption: first, credit: second } : undefined;
}

const paragraphOf = (block: Block): string => block.lines.join(' ');

const isAdvertisement = (title: string): boolean => /^advertisement$/i.test(title);

/** A slideshow article as read, and the images its image lines name. */
export interface SlideshowArticle {
  /** The article without `id` or `publishedAt`, which the importer fills in. */
  article: ArticleInput;
  /**
   * Every image line, in the order of the text: a local file for the importer to read (its
   * photo has no `url` yet) or an `https:` address (its photo has it as `url`).
   */
  images: ImageReference[];
}

/**
 * Reads a slideshow article pasted as text (docs/article-format.md): headline, lead photos
 * and intro, then bullet slides. Reads no file and fetches nothing: an image line is only
 * recorded, with its line, for the importer.
 *
 * @param text the whole article text
 * @param source a name for the text in error messages, usually its file name
 * @throws {SlideshowError} when the text is blank, starts with a bullet, has a bullet
 *   with no title, has no slide and no intro paragraph, or has an image line that is not
 *   `https:`, not first in a photo's block, or in a later block of a slide
 */
export function parseSlideshow(text: string, source: string): SlideshowArticle {
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
        block = { lines: [], start: index + 1 };
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
  const references: ImageReference[] = [];
  const refer = (slot: ImageSlot, photo: Photo): Image => {
    if (photo.imageLine === undefined) return photo.image;
    const { source: line, line: number } = photo.imageLine;
    const named = imageLineSource(line);
    if ('problem' in named) throw new SlideshowError(source, number, named.problem);
    const location = { line: number };
    if (named.kind === 'file') {
      references.push({ file: source, slot, kind: 'file', source: named.path, location });
      return photo.image;
    }
    // A remote photo is shown from where it is unless the import fetches it.
    references.push({ file: source, slot, kind: 'https', source: named.url, location });
    return { ...photo.image, url: named.url };
  };
  const paragraphs: string[] = [];
  for (const leadBlock of leadBlocks) {
    const photo = photoOf(leadBlock, source);
    if (photo === undefined) paragraphs.push(paragraphOf(leadBlock));
    else images.push(refer({ lead: images.length }, photo));
  }

  const slides: Slide[] = [];
  for (const raw of rawSlides) {
    if (isAdvertisement(raw.title)) continue;
    const [first, ...others] = raw.blocks;
    const photo = first === undefined ? undefined : photoOf(first, source);
    const body = photo === undefined ? raw.blocks : others;
    const stray = body.find((block) => isImageLine(block.lines[0] ?? ''));
    if (stray !== undefined) {
      throw new SlideshowError(
        source,
        stray.start,
        'a slide has one photo, in the first block under its bullet: this image line is in a later block',
      );
    }
    const slot = { slide: slides.length };
    slides.push({
      title: raw.title,
      ...(photo === undefined ? {} : { image: refer(slot, photo) }),
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
  return { article: { headline, lead: { images, paragraphs }, slides }, images: references };
}
