import { describe, expect, it } from 'vitest';
import { chooseImageFormat } from '#core/media/choose-image-format.ts';
import { ImageError } from '#core/media/image-error.ts';
import {
  checkDimensions,
  checkFileSize,
  checkFormat,
  imageLimits,
} from '#core/media/image-limits.ts';

/** The ImageError `work` throws (fails the test when it throws none, or another error). */
function refusal(work: () => void): ImageError {
  let thrown: unknown;
  try {
    work();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ImageError);
  return thrown as ImageError;
}

describe('the limits', () => {
  it('are the email rules: 40 MB in, 12,000 px a side, 1200 px out', () => {
    expect(imageLimits.maxInputBytes).toBe(40_000_000);
    expect(imageLimits.maxSidePx).toBe(12_000);
    expect(imageLimits.maxInputPixels).toBe(144_000_000);
    expect(imageLimits.outputMaxWidthPx).toBe(1200);
    expect(imageLimits.jpegQuality).toBeGreaterThanOrEqual(60);
    expect(imageLimits.jpegQuality).toBeLessThanOrEqual(80);
  });
});

describe('checkFileSize', () => {
  it('accepts a file of exactly 40 MB', () => {
    expect(() => checkFileSize(40_000_000, 'big.jpg')).not.toThrow();
  });

  it('refuses one byte more, naming the file, its size and the limit', () => {
    const error = refusal(() => checkFileSize(52_400_000, 'lighthouse.jpg'));
    expect(error.reason).toBe('too-large');
    expect(error.sourceName).toBe('lighthouse.jpg');
    expect(error.message).toMatch(/^lighthouse\.jpg: is 52\.4 MB; the most is 40 MB: export it/);
    expect(refusal(() => checkFileSize(40_000_001, 'a.jpg')).reason).toBe('too-large');
  });

  it('refuses an empty file as not an image', () => {
    const error = refusal(() => checkFileSize(0, 'empty.png'));
    expect(error.reason).toBe('not-an-image');
    expect(error.message).toBe('empty.png: is empty: export the image again');
  });
});

describe('checkFormat', () => {
  it('reads what cameras, phones and editors export', () => {
    for (const format of ['jpeg', 'png', 'webp', 'gif', 'tiff', 'avif', 'heif']) {
      expect(() => checkFormat(format, 'x')).not.toThrow();
    }
  });

  it('refuses SVG and other formats, saying what to export instead', () => {
    const svg = refusal(() => checkFormat('svg', 'logo.svg'));
    expect(svg.reason).toBe('not-an-image');
    expect(svg.message).toMatch(/^logo\.svg: is an SVG drawing, .*export it as JPEG or PNG$/);
    expect(refusal(() => checkFormat('pdf', 'flyer.pdf')).message).toMatch(
      /^flyer\.pdf: is a PDF file, /,
    );
  });
});

describe('checkDimensions', () => {
  it('accepts 12,000 px on a side', () => {
    expect(() => checkDimensions(12_000, 8_000, 'pano.jpg')).not.toThrow();
    expect(() => checkDimensions(12_000, 12_000, 'square.png')).not.toThrow();
  });

  it('refuses a side over 12,000 px, naming the size', () => {
    const wide = refusal(() => checkDimensions(12_001, 100, 'pano.jpg'));
    expect(wide.reason).toBe('too-many-pixels');
    expect(wide.message).toMatch(/^pano\.jpg: is 12001 × 100 px; the most is 12,000 px on a side/);
    expect(refusal(() => checkDimensions(100, 65_535, 'tall.png')).reason).toBe('too-many-pixels');
  });
});

describe('chooseImageFormat', () => {
  const photo = { sourceFormat: 'png', hasTransparency: false, isPalette: false, colourCount: 257 };

  it('keeps a JPEG a JPEG', () => {
    expect(chooseImageFormat({ ...photo, sourceFormat: 'jpeg', colourCount: 3 })).toBe('jpeg');
  });

  it('makes a photo saved as PNG, WebP or HEIF a JPEG', () => {
    for (const sourceFormat of ['png', 'webp', 'heif', 'tiff']) {
      expect(chooseImageFormat({ ...photo, sourceFormat })).toBe('jpeg');
    }
  });

  it('keeps real transparency as PNG, whatever the colours', () => {
    expect(chooseImageFormat({ ...photo, hasTransparency: true, colourCount: 100_000 })).toBe(
      'png',
    );
  });

  it('keeps a palette image or one of 256 colours or fewer as PNG', () => {
    expect(chooseImageFormat({ ...photo, isPalette: true })).toBe('png');
    expect(chooseImageFormat({ ...photo, sourceFormat: 'webp', colourCount: 256 })).toBe('png');
  });
});
