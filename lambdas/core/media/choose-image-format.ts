import { imageLimits } from './image-limits.ts';
import type { ImageFormat } from './ports.ts';

/** What the processor found out about an image, to choose its output format. */
export interface ImageTraits {
  /** The input format as sharp names it (`jpeg`, `png`, `webp`, …). */
  sourceFormat: string;
  /** Some pixel is not fully opaque (an alpha channel that is all 255 does not count). */
  hasTransparency: boolean;
  /** The source stores a palette (an indexed PNG, a GIF). */
  isPalette: boolean;
  /**
   * Distinct colours in the image, or any number above `imageLimits.fewColours` when it has
   * more (the processor may stop counting there).
   */
  colourCount: number;
}

/**
 * PNG or JPEG for an email image:
 * - a JPEG source stays JPEG: it is a photo, has no transparency, and its compression
 *   artefacts would make a PNG several times larger;
 * - real transparency needs PNG (JPEG has none; flattening would paint a box around a logo);
 * - a palette source, or one with at most `imageLimits.fewColours` colours, is a logo, chart
 *   or screenshot: PNG keeps its edges sharp and is small as an indexed PNG;
 * - anything else (a photo saved as PNG, WebP, HEIF…) becomes JPEG, far smaller than PNG.
 */
export function chooseImageFormat(traits: ImageTraits): ImageFormat {
  if (traits.sourceFormat === 'jpeg') return 'jpeg';
  if (traits.hasTransparency) return 'png';
  if (traits.isPalette || traits.colourCount <= imageLimits.fewColours) return 'png';
  return 'jpeg';
}
