/** A size in pixels. */
export interface PixelSize {
  width: number;
  height: number;
}

/**
 * The size to show an image at in a column `columnWidth` pixels wide, for the `width` and
 * `height` attributes of its `<img>`: scaled down to the column's width keeping the aspect
 * ratio, the height rounded to whole pixels (at least 1); never scaled up, since an
 * enlarged image only looks blurred. Also the size an image is resized to
 * (`imageLimits.outputMaxWidthPx`).
 * @param size the image's size in pixels, upright
 * @param columnWidth pixels, e.g. 600 for the digest's column
 * @throws RangeError when a size or the column is not a positive whole number
 */
export function scaleToColumn(size: PixelSize, columnWidth: number): PixelSize {
  for (const value of [size.width, size.height, columnWidth]) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError('image sizes and column widths are positive whole pixels');
    }
  }
  if (size.width <= columnWidth) return { width: size.width, height: size.height };
  return {
    width: columnWidth,
    height: Math.max(1, Math.round((size.height * columnWidth) / size.width)),
  };
}
