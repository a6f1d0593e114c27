/** Why an image named by an article could not be had. */
export type ImageSourceErrorReason =
  /** No file at the path, or the path is a folder. */
  | 'missing'
  /** The file is there but cannot be read (permissions, a device error). */
  | 'unreadable'
  /** The download took longer than the fetcher's time limit. */
  | 'timed-out'
  /** The server answered with an error, redirected elsewhere than https:, or could not be reached. */
  | 'refused';

/**
 * An image file or address that gives no bytes. The message names the path or address and
 * says what happened, e.g. `photos/dock.jpg: does not exist (looked for /home/ed/photos/dock.jpg)`;
 * the importer adds the article file and line.
 */
export class ImageSourceError extends Error {
  override readonly name = 'ImageSourceError';
  /** The path or address as the article wrote it, or as the adapter was given it. */
  readonly source: string;
  readonly reason: ImageSourceErrorReason;
  /** What happened, without the source. */
  readonly problem: string;

  constructor(
    source: string,
    reason: ImageSourceErrorReason,
    problem: string,
    options?: ErrorOptions,
  ) {
    super(`${source}: ${problem}`, options);
    this.source = source;
    this.reason = reason;
    this.problem = problem;
  }
}
