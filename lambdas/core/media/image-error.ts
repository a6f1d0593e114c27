/** Why an image was refused: what the importer or a person can act on. */
export type ImageErrorReason =
  /** The file is larger than `imageLimits.maxInputBytes`. */
  | 'too-large'
  /** Not an image this project reads (not recognised, or a format it does not accept). */
  | 'not-an-image'
  /** Wider or taller than `imageLimits.maxSidePx`, or more pixels than `maxInputPixels`. */
  | 'too-many-pixels'
  /** Recognised, but its pixels cannot be decoded: truncated or damaged. */
  | 'corrupt';

/**
 * An image that cannot go into an email. The message names the file, says what is wrong and
 * what to do about it, e.g. `lighthouse.jpg: is 52.4 MB; the most is 40 MB: export it
 * smaller`. Nothing is stored for a refused image.
 */
export class ImageError extends Error {
  override readonly name = 'ImageError';
  /** The file name as given to the processor. */
  readonly sourceName: string;
  readonly reason: ImageErrorReason;
  /** What is wrong, without the file name. */
  readonly problem: string;

  constructor(
    sourceName: string,
    reason: ImageErrorReason,
    problem: string,
    options?: ErrorOptions,
  ) {
    super(`${sourceName}: ${problem}`, options);
    this.sourceName = sourceName;
    this.reason = reason;
    this.problem = problem;
  }
}
