import { crc32 } from 'node:zlib';
import sharp from 'sharp';

// Images made by the tests and the bench, so that no photo is committed. The "photo" is a
// synthetic landscape busy enough to compress like a real one: a sky with soft clouds,
// buildings with hard edges and a textured field, as a camera would save it (JPEG at 90).

/** Where the GPS position of `makeCameraPhoto` says it was taken, as EXIF writes it. */
export const photoGps = {
  GPSLatitudeRef: 'N',
  GPSLatitude: '51/1 30/1 2619/100',
  GPSLongitudeRef: 'W',
  GPSLongitude: '0/1 7/1 3938/100',
  // A plain ASCII tag, easy to look for in the bytes of a file.
  GPSMapDatum: 'WGS-84',
};

export interface CameraPhotoOptions {
  /** Stored pixels; 4000 × 3000 by default. */
  width?: number;
  height?: number;
  /** The EXIF orientation tag (1–8); 6 means "rotate 90° clockwise to show". Absent: none. */
  orientation?: number;
}

/**
 * A camera JPEG: the synthetic landscape, a pure red block in its stored top-left corner (to
 * see where orientation put it), EXIF with the camera, the date and `photoGps`.
 */
export async function makeCameraPhoto(options: CameraPhotoOptions = {}): Promise<Buffer> {
  const { width = 4000, height = 3000, orientation } = options;
  const skyHeight = Math.round(height * 0.43);
  const groundHeight = height - skyHeight;
  const sky = await textured(
    width,
    skyHeight,
    [70, 130, 210],
    [190, 215, 235],
    [{ cells: 20, sigma: 60, blend: 'soft-light' }],
  );
  const ground = await textured(
    width,
    groundHeight,
    [95, 120, 60],
    [70, 60, 40],
    [
      { cells: 80, sigma: 70, blend: 'overlay' },
      { cells: 400, sigma: 60, blend: 'soft-light' },
      { cells: width, sigma: 25, blend: 'soft-light' },
    ],
  );
  const buildings = Array.from({ length: 9 }, (_, i) => {
    const w = Math.round(((150 + ((i * 97) % 200)) * width) / 4000);
    const h = Math.round(((300 + ((i * 151) % 600)) * height) / 3000);
    return {
      input: block(w, h, { r: 60 + i * 15, g: 55 + i * 10, b: 50 + i * 12 }),
      left: Math.round(((200 + i * 400) * width) / 4000),
      top: skyHeight - h + Math.round(height / 60),
    };
  });
  const marker = {
    input: block(width / 10, height / 10, { r: 208, g: 16, b: 16 }),
    left: 0,
    top: 0,
  };
  let photo = sharp({ create: { width, height, channels: 3, background: '#000' } })
    .composite([
      { input: sky.data, raw: sky.info, top: 0, left: 0 },
      { input: ground.data, raw: ground.info, top: skyHeight, left: 0 },
      ...buildings,
      marker,
    ])
    .withExif({
      IFD0: { Make: 'TestCam', Model: 'TC-1', DateTime: '2026:05:01 09:30:00' },
      IFD3: photoGps,
    });
  if (orientation !== undefined) photo = photo.withMetadata({ orientation });
  return photo.jpeg({ quality: 90 }).toBuffer();
}

/** A 600 × 400 PNG logo: an opaque dark disc on a fully transparent ground. */
export async function makeTransparentLogo(): Promise<Buffer> {
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="400">' +
    '<circle cx="300" cy="200" r="150" fill="#1d3557"/></svg>';
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** A 1800 × 1000 opaque RGB PNG chart: four flat bars on white, no palette. */
export async function makeFlatChart(): Promise<Buffer> {
  const bars = [0, 1, 2, 3].map((i) => ({
    input: block(200, 200 + i * 150, { r: 40 * i, g: 120, b: 200 - 40 * i }),
    left: 200 + i * 400,
    top: 800 - i * 150,
  }));
  return sharp({ create: { width: 1800, height: 1000, channels: 3, background: '#ffffff' } })
    .composite(bars)
    .png({ palette: false })
    .toBuffer();
}

/**
 * A decompression bomb: a valid PNG header declaring `width` × `height` pixels, followed by
 * a few bytes of image data and the end chunk. A reader that trusted it would allocate
 * width × height × 3 bytes.
 */
export function makeDeclaredSizePng(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

type Rgb = [number, number, number];
interface Noise {
  /** Noise cells across the width: few make soft clouds, many make fine grain. */
  cells: number;
  sigma: number;
  blend: 'soft-light' | 'overlay';
}

/** A vertical gradient from `top` to `bottom` with greyscale noise layers blended over it. */
async function textured(width: number, height: number, top: Rgb, bottom: Rgb, layers: Noise[]) {
  // One column of the gradient, stretched across: far faster than filling every pixel.
  const column = Buffer.alloc(height * 3);
  for (let y = 0; y < height; y++) {
    const t = y / Math.max(1, height - 1);
    column.set(
      top.map((from, c) => from + ((bottom[c] as number) - from) * t),
      y * 3,
    );
  }
  const base = await sharp(column, { raw: { width: 1, height, channels: 3 } })
    .resize(width, height, { kernel: 'nearest', fit: 'fill' })
    .raw()
    .toBuffer();
  const random = seeded(width * 31 + height);
  const noises = await Promise.all(
    layers.map(async ({ cells, sigma, blend }) => {
      const rows = Math.max(1, Math.round((cells * height) / width));
      const small = Buffer.alloc(cells * rows);
      for (let i = 0; i < small.length; i++) small[i] = 128 + sigma * gaussian(random);
      const { data, info } = await sharp(small, {
        raw: { width: cells, height: rows, channels: 1 },
      })
        .resize(width, height, { kernel: 'cubic', fit: 'fill' })
        .toColourspace('srgb')
        .raw()
        .toBuffer({ resolveWithObject: true });
      return { input: data, raw: info, blend };
    }),
  );
  return sharp(base, { raw: { width, height, channels: 3 } })
    .composite(noises)
    .raw()
    .toBuffer({ resolveWithObject: true });
}

function block(width: number, height: number, background: { r: number; g: number; b: number }) {
  return {
    create: {
      width: Math.round(width),
      height: Math.round(height),
      channels: 3 as const,
      background,
    },
  };
}

/** A seeded generator of numbers in [0, 1) (mulberry32): the same image on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal sample (Box–Muller). */
function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
