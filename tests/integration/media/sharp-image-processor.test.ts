import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { SharpImageProcessor } from '#adapters/sharp-image-processor.ts';
import { ImageError } from '#core/media/image-error.ts';
import type { ProcessedImage } from '#core/media/ports.ts';
import {
  makeCameraPhoto,
  makeDeclaredSizePng,
  makeFlatChart,
  makeTransparentLogo,
} from './test-images.ts';

const processor = new SharpImageProcessor();

/** The ImageError that processing `bytes` rejects with (fails the test on success). */
async function refusal(bytes: Uint8Array, name: string): Promise<ImageError> {
  const outcome = await processor.process(bytes, name).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(ImageError);
  return outcome as ImageError;
}

/** The RGB of the pixel at (x, y) of an encoded image. */
async function pixelAt(bytes: Uint8Array, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  return [...data.subarray(at, at + 3)];
}

describe('SharpImageProcessor, a camera photo', () => {
  // 4000 × 3000 stored, EXIF orientation 6 (shown rotated 90° clockwise: 3000 × 4000),
  // GPS position in its EXIF, a red block in its stored top-left corner.
  let camera: Buffer;
  let out: ProcessedImage;

  beforeAll(async () => {
    camera = await makeCameraPhoto({ orientation: 6 });
    out = await processor.process(camera, 'harbour.jpg');
  });

  it('starts as a camera file: 4000 × 3000, rotated by EXIF, with a GPS position', async () => {
    const input = await sharp(camera).metadata();
    expect([input.width, input.height, input.orientation]).toEqual([4000, 3000, 6]);
    expect(camera.includes('WGS-84')).toBe(true);
  });

  it('comes out an upright JPEG 1200 px wide: 1200 × 1600', async () => {
    expect(out.format).toBe('jpeg');
    expect([out.width, out.height]).toEqual([1200, 1600]);
    const meta = await sharp(out.bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 1200, 1600]);
    // Turned 90° clockwise, the stored top-left corner is now the top-right one.
    const [r, g, b] = await pixelAt(out.bytes, 1190, 10);
    expect(r).toBeGreaterThan(180);
    expect(g).toBeLessThan(50);
    expect(b).toBeLessThan(50);
    expect((await pixelAt(out.bytes, 10, 10))[0]).toBeLessThan(120);
  });

  it('carries no EXIF (no GPS, no orientation), ICC, XMP or IPTC', async () => {
    const meta = await sharp(out.bytes).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.iptc).toBeUndefined();
    expect(Buffer.from(out.bytes).includes('WGS-84')).toBe(false);
    expect(Buffer.from(out.bytes).includes('TestCam')).toBe(false);
  });

  it('is a progressive JPEG under 200 KB', async () => {
    expect((await sharp(out.bytes).metadata()).isProgressive).toBe(true);
    expect(out.bytes.byteLength).toBeLessThan(200_000);
  });

  it('gives the SHA-256 of its bytes, the same for the same input', async () => {
    expect(out.sha256).toBe(createHash('sha256').update(out.bytes).digest('hex'));
    const again = await processor.process(Uint8Array.from(camera), 'copy-of-harbour.jpg');
    expect(again.sha256).toBe(out.sha256);
    expect(Buffer.from(again.bytes).equals(Buffer.from(out.bytes))).toBe(true);
  });
});

describe('SharpImageProcessor, formats', () => {
  it('keeps a PNG with transparency a PNG, transparent, at its own size', async () => {
    const out = await processor.process(await makeTransparentLogo(), 'logo.png');
    expect([out.format, out.width, out.height]).toEqual(['png', 600, 400]);
    const { data, info } = await sharp(out.bytes)
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(data[3]).toBe(0); // the top-left corner is still see-through
    expect(data[(200 * info.width + 300) * 4 + 3]).toBe(255); // the disc is opaque
  });

  it('keeps a flat-colour chart a PNG, resized to 1200 px wide', async () => {
    const out = await processor.process(await makeFlatChart(), 'chart.png');
    expect([out.format, out.width, out.height]).toEqual(['png', 1200, 667]);
  });

  it('makes a photo saved as PNG a JPEG', async () => {
    const photo = await sharp(await makeCameraPhoto({ width: 1600, height: 1200 }))
      .png()
      .toBuffer();
    const out = await processor.process(photo, 'scan.png');
    expect([out.format, out.width, out.height]).toEqual(['jpeg', 1200, 900]);
  });

  it('never enlarges a small image', async () => {
    const small = await makeCameraPhoto({ width: 400, height: 300 });
    const out = await processor.process(small, 'thumb.jpg');
    expect([out.width, out.height]).toEqual([400, 300]);
  });
});

describe('SharpImageProcessor, refusals', () => {
  it('refuses a file that is not an image, naming it', async () => {
    const error = await refusal(Buffer.from('Slide 1: a caption, not a photo\n'), 'notes.jpg');
    expect(error.reason).toBe('not-an-image');
    expect(error.message).toMatch(/^notes\.jpg: is not an image file/);
  });

  it('refuses a JPEG whose scan data is damaged, naming it', async () => {
    const damaged = await makeCameraPhoto({ width: 800, height: 600 });
    const middle = Math.floor(damaged.length / 2);
    for (let i = middle; i < middle + 2000; i++) damaged[i] = (i * 7919) & 0xff;
    const error = await refusal(damaged, 'damaged.jpg');
    expect(error.reason).toBe('corrupt');
    expect(error.message).toMatch(/^damaged\.jpg: is a JPEG file whose pixels cannot be read/);
  });

  it('refuses a truncated JPEG, naming it', async () => {
    const whole = await makeCameraPhoto({ width: 800, height: 600 });
    const error = await refusal(whole.subarray(0, whole.length / 2), 'half.jpg');
    expect(error.reason).toBe('corrupt');
    expect(error.message).toMatch(/^half\.jpg: .*truncated or damaged/);
  });

  it('refuses a decompression bomb by its header, before decoding it', async () => {
    // 95 bytes declaring 50,000 × 50,000 px: 7.5 GB of pixels if decoded.
    const bomb = makeDeclaredSizePng(50_000, 50_000);
    expect(bomb.byteLength).toBeLessThan(100);
    const error = await refusal(bomb, 'bomb.png');
    expect(error.reason).toBe('too-many-pixels');
    expect(error.message).toMatch(/^bomb\.png: is 50000 × 50000 px; the most is 12,000 px/);
  });

  it('refuses a side over 12,000 px', async () => {
    const error = await refusal(makeDeclaredSizePng(12_001, 10), 'banner.png');
    expect(error.reason).toBe('too-many-pixels');
  });

  it('refuses a file over 40 MB without reading it', async () => {
    const error = await refusal(new Uint8Array(40_000_001), 'raw-scan.tif');
    expect(error.reason).toBe('too-large');
    expect(error.message).toMatch(/^raw-scan\.tif: is 40.1 MB; the most is 40 MB/);
  });

  it('refuses an SVG drawing', async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
    );
    const error = await refusal(svg, 'logo.svg');
    expect(error.reason).toBe('not-an-image');
    expect(error.message).toMatch(/^logo\.svg: is an SVG drawing/);
  });
});
