import type { Image } from '../articles/article.ts';
import { scaleToColumn } from '../media/scale-to-column.ts';

/**
 * Width of the digest's content column in CSS pixels: the 600 px body less 24 px of padding
 * on each side (see `templates/digest.mjml.hbs` and `partials/mjml-attributes.hbs`). Photos
 * are never shown wider.
 */
export const contentWidth = 552;

/**
 * Tallest photo on a wide screen, in CSS pixels: a portrait photo is narrowed to this height
 * rather than filling a whole screen (on phones every photo is the column's full width).
 */
export const maxPhotoHeight = 552;

/** A photo as the templates see it: every field present, `null` when absent. */
export interface PhotoData {
  /** The image address as stored; templates pass it through the `https` helper. */
  url: string | null;
  /**
   * Alternative text: the caption, else the title of what the photo illustrates (its slide,
   * or the article's headline for a lead photo). Escaped like all article text.
   */
  alt: string;
  caption: string | null;
  credit: string | null;
  /**
   * Display width in CSS pixels, the `width` attribute Outlook obeys: the photo's own width
   * scaled down to `contentWidth` (never enlarged), less for a tall portrait photo. A photo
   * whose width is unknown gets the column's: the only width sure not to break the layout
   * in a client that ignores `max-width`.
   */
  width: number;
  /**
   * Display height in CSS pixels, scaled with the width, so that the layout holds while the
   * photo loads; `null` when the photo was never measured (its height is then `auto`).
   */
  height: number | null;
}

/**
 * Shapes one photo for the templates: its display size scaled to the column and its alt text.
 * @param title what the photo illustrates: its slide's title, or the headline for a lead photo
 */
export function toPhotoData(image: Image, title: string): PhotoData {
  return {
    url: image.url ?? null,
    alt: image.caption ?? title,
    caption: image.caption ?? null,
    credit: image.credit ?? null,
    ...displaySize(image),
  };
}

function displaySize(image: Image): { width: number; height: number | null } {
  const { width, height } = image;
  if (width === undefined || height === undefined) {
    // Half measured (or not at all): the width alone, and the browser keeps the ratio.
    return { width: Math.min(width ?? contentWidth, contentWidth), height: null };
  }
  const scaled = scaleToColumn({ width, height }, contentWidth);
  if (scaled.height <= maxPhotoHeight) return scaled;
  return {
    width: Math.max(1, Math.round((maxPhotoHeight * width) / height)),
    height: maxPhotoHeight,
  };
}
