import { ImageError } from '#core/media/image-error.ts';
import { mediaKey } from '#core/media/media-key.ts';
import type { ImageProcessor, ProcessedImage } from '#core/media/ports.ts';

/**
 * An `ImageProcessor` for an import that stores its photos later, through the editor API:
 * it processes each photo with `processor`, keeps the result by its media key for the upload,
 * and refuses one larger than the API takes (`POST /media`), as a file too large is refused:
 * while every photo is checked, before anything is stored, the importer naming its file and
 * line.
 */
export class ProcessedMedia implements ImageProcessor {
  private readonly kept = new Map<string, ProcessedImage>();

  constructor(
    private readonly processor: ImageProcessor,
    /** The most bytes a processed photo may have. */
    private readonly maxBytes: number,
  ) {}

  /** @throws ImageError `too-large` when the processed photo is over `maxBytes` */
  async process(bytes: Uint8Array, sourceName: string): Promise<ProcessedImage> {
    const image = await this.processor.process(bytes, sourceName);
    const size = image.bytes.byteLength;
    if (size > this.maxBytes) {
      throw new ImageError(
        sourceName,
        'too-large',
        `becomes ${size.toLocaleString('en')} bytes as an email image, and the editor API ` +
          `takes at most ${this.maxBytes.toLocaleString('en')}: crop it, or export it smaller`,
      );
    }
    this.kept.set(mediaKey(image), image);
    return image;
  }

  /** The processed photo of a media key, if this processor made it. */
  get(key: string): ProcessedImage | undefined {
    return this.kept.get(key);
  }
}
