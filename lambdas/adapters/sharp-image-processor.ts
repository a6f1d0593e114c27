import { createHash } from 'node:crypto';
import sharp, { type Metadata, type SharpOptions } from 'sharp';
import { chooseImageFormat } from '#core/media/choose-image-format.ts';
import { ImageError } from '#core/media/image-error.ts';
import {
  checkDimensions,
  checkFileSize,
  checkFormat,
  imageLimits,
} from '#core/media/image-limits.ts';
import type { ImageProcessor, ProcessedImage } from '#core/media/ports.ts';

/** How sharp reads every input that reaches the decoders. */
const decodeOptions: SharpOptions = {
  // A truncated or damaged file is refused rather than stored with grey or garbled rows.
  // 'warning', sharp's default and its advice for untrusted input: libjpeg reports damaged
  // scan data ("Corrupt JPEG data") only as a warning, which 'error' would let through. The
  // price: a file with a harmless warning is refused too, and has to be exported again.
  failOn: 'warning',
  // Checked by libvips itself when it opens the image, whatever the metadata said.
  limitInputPixels: imageLimits.maxInputPixels,
};

/** The side of the nearest-neighbour sample in which a source's colours are counted. */
const COLOUR_SAMPLE_PX = 512;

/**
 * `ImageProcessor` with sharp (libvips). Reads the header first and refuses, before any
 * pixel is decoded, a file that is too large, not an image, or declares too many pixels; then
 * orients it by its EXIF orientation, converts it to sRGB, resizes it to at most
 * `imageLimits.outputMaxWidthPx` wide (never larger) and encodes it as PNG or JPEG (see
 * `chooseImageFormat`) without any metadata: no EXIF (GPS, camera, date), ICC, XMP or IPTC.
 * The same input and sharp version give the same bytes.
 */
export class SharpImageProcessor implements ImageProcessor {
  async process(bytes: Uint8Array, sourceName: string): Promise<ProcessedImage> {
    checkFileSize(bytes.byteLength, sourceName);
    // A view, not a copy: a 40 MB upload is not duplicated.
    const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

    const metadata = await readHeader(input, sourceName);
    checkFormat(metadata.format, sourceName);
    checkDimensions(metadata.width, metadata.height, sourceName);

    try {
      // One decode: oriented, sRGB, resized raw pixels, then analysed and encoded.
      const { data, info } = await sharp(input, decodeOptions)
        .autoOrient()
        .toColourspace('srgb')
        .resize({ width: imageLimits.outputMaxWidthPx, withoutEnlargement: true })
        .raw({ depth: 'uchar' })
        .toBuffer({ resolveWithObject: true });
      const hasTransparency = info.channels === 4 && someAlphaBelowOpaque(data);
      const isPalette = metadata.isPalette;
      const format = chooseImageFormat({
        sourceFormat: metadata.format,
        hasTransparency,
        isPalette,
        colourCount:
          metadata.format === 'jpeg' || hasTransparency || isPalette
            ? 0 // decided without it
            : await sourceColourCount(input),
      });

      const pixels = sharp(data, {
        raw: { width: info.width, height: info.height, channels: info.channels },
      });
      const encoded = await (format === 'png'
        ? // Indexed: lossless for up to 256 colours; past that (a transparent photo, a logo's
          // smoothed edges) libimagequant picks the best 256, far smaller than RGBA PNG.
          pixels.png({ palette: true, quality: 100, effort: 10, compressionLevel: 9 })
        : pixels
            // An opaque alpha channel carries nothing; JPEG has no place for it.
            .removeAlpha()
            .jpeg({ quality: imageLimits.jpegQuality, mozjpeg: true, progressive: true })
      ).toBuffer({ resolveWithObject: true });

      return {
        bytes: encoded.data,
        format,
        width: encoded.info.width,
        height: encoded.info.height,
        sha256: createHash('sha256').update(encoded.data).digest('hex'),
      };
    } catch (error) {
      if (error instanceof ImageError) throw error;
      throw decodeError(error, sourceName, metadata.format);
    }
  }
}

/** The header only: format, size, palette. Decodes no pixels. */
async function readHeader(input: Buffer, sourceName: string): Promise<Metadata> {
  try {
    // No pixel limit here: the header is read whatever it declares, so that checkDimensions
    // can name the size instead of sharp's generic refusal.
    return await sharp(input, { ...decodeOptions, limitInputPixels: false }).metadata();
  } catch (error) {
    throw new ImageError(
      sourceName,
      'not-an-image',
      'is not an image file this newsletter can read (or its header is damaged): ' +
        'export it as JPEG or PNG',
      { cause: error },
    );
  }
}

/** A failure while decoding pixels, as an ImageError a person can act on. */
function decodeError(error: unknown, sourceName: string, format: string): ImageError {
  const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
  if (/pixel limit/i.test(detail ?? '')) {
    return new ImageError(
      sourceName,
      'too-many-pixels',
      `declares more than ${imageLimits.maxInputPixels.toLocaleString('en')} pixels: ` +
        'export it smaller',
      { cause: error },
    );
  }
  return new ImageError(
    sourceName,
    'corrupt',
    `is a ${format.toUpperCase()} file whose pixels cannot be read (${detail}): it is ` +
      'truncated or damaged, or uses an encoding this newsletter cannot read; ' +
      'export it again as JPEG or PNG',
    { cause: error },
  );
}

/** Whether an RGBA buffer has a pixel that is not fully opaque. */
function someAlphaBelowOpaque(rgba: Buffer): boolean {
  for (let i = 3; i < rgba.length; i += 4) if ((rgba[i] as number) < 255) return true;
  return false;
}

/**
 * The distinct colours of the source, counted in a nearest-neighbour sample of at most
 * 512 × 512 px (a smoothing resize would invent in-between colours at every edge of a logo),
 * stopping past `imageLimits.fewColours`. Costs a second decode, so only sources that are
 * neither JPEG nor obviously a graphic get here.
 */
async function sourceColourCount(input: Buffer): Promise<number> {
  const { data, info } = await sharp(input, decodeOptions)
    .resize(COLOUR_SAMPLE_PX, COLOUR_SAMPLE_PX, {
      fit: 'inside',
      kernel: 'nearest',
      withoutEnlargement: true,
    })
    .toColourspace('srgb')
    .removeAlpha()
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  const seen = new Set<number>();
  for (let i = 0; i + 2 < data.length; i += info.channels) {
    seen.add(
      ((data[i] as number) << 16) | ((data[i + 1] as number) << 8) | (data[i + 2] as number),
    );
    if (seen.size > imageLimits.fewColours) break;
  }
  return seen.size;
}
