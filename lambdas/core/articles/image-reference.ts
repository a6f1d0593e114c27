import type { Article, Image } from './article.ts';
import type { ArticleFileLocation } from './article-file-error.ts';

/** Which photo of an article: a lead photo by its index, or the photo of a slide by its index. */
export type ImageSlot = { lead: number } | { slide: number };

/**
 * An image that an article file names and the importer has to resolve: a local file to
 * read, process and store, or a remote `https:` address to leave or (with `--fetch-images`)
 * download. The parser records it; it never reads or fetches anything itself.
 */
export interface ImageReference {
  /** The article file that names it, as given to the importer. */
  file: string;
  /** Which photo of the article it is. */
  slot: ImageSlot;
  /** `file`: a path relative to the article file; `https`: a remote address. */
  kind: 'file' | 'https';
  /** The path or address as the file writes it. */
  source: string;
  /** Where the file writes it: a line of slideshow text, or the JSON path of the `url`. */
  location: ArticleFileLocation;
}

/** The JSON path of a slot within its article: `$.lead.images[0]` or `$.slides[2].image`. */
export function slotPath(slot: ImageSlot): string {
  return 'lead' in slot ? `$.lead.images[${slot.lead}]` : `$.slides[${slot.slide}].image`;
}

/** The photo in `slot`, or undefined when the article has none there. */
export function imageAt(article: Article, slot: ImageSlot): Image | undefined {
  return 'lead' in slot ? article.lead.images[slot.lead] : article.slides[slot.slide]?.image;
}

/**
 * A copy of `article` whose photo in `slot` has `changes` merged in (a new `url`, `width`
 * and `height`); the article itself is left as it is.
 * @throws RangeError when the article has no photo in `slot`
 */
export function withImage(
  article: Article,
  slot: ImageSlot,
  changes: Pick<Image, 'url' | 'width' | 'height'>,
): Article {
  const image = imageAt(article, slot);
  if (image === undefined) throw new RangeError(`the article has no photo at ${slotPath(slot)}`);
  const changed = { ...image, ...changes };
  if ('lead' in slot) {
    const images = article.lead.images.map((each, index) => (index === slot.lead ? changed : each));
    return { ...article, lead: { ...article.lead, images } };
  }
  const slides = article.slides.map((each, index) =>
    index === slot.slide ? { ...each, image: changed } : each,
  );
  return { ...article, slides };
}
