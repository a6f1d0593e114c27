import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buckets } from '#adapters/resources.ts';
import { readLiveServices } from '#cli/local/services-record.ts';
import { localS3Client, mediaKeys } from '../support/local-s3-client.ts';
import { freshHome, runCli } from '../support/run-cli.ts';
import { startServe, stopServes } from '../support/serve-cli.ts';
import { selfSignedCertificate, startHttpsServer } from './https-test-server.ts';
import {
  makeCameraPhoto,
  makeDeclaredSizePng,
  makeTransparentLogo,
  photoGps,
} from './test-images.ts';

// `newsletter import` on the local services that `serve` keeps running, so that the test can
// look into the bucket over real HTTP; the photos' addresses point at a media distribution.

let home: string;
const env = { NEWSLETTER_MEDIA_BASE_URL: 'https://media.example.com' };
let s3: S3Client;
let dir: string;
const bucket = buckets.archive.localName;

beforeAll(async () => {
  home = await freshHome();
  await startServe(home);
  s3 = localS3Client((await readLiveServices(home))?.env ?? {});
  dir = await mkdtemp(join(tmpdir(), 'photo-articles-'));
  await writeFile(join(dir, 'camera.jpg'), await makeCameraPhoto({ orientation: 6 }));
  await writeFile(join(dir, 'logo.png'), await makeTransparentLogo());
  await writeFile(join(dir, 'shared.jpg'), await makeCameraPhoto({ width: 1000, height: 700 }));
  const corrupt = await makeCameraPhoto({ width: 800, height: 600 });
  await writeFile(join(dir, 'corrupt.jpg'), corrupt.subarray(0, Math.floor(corrupt.length / 2)));
  await writeFile(join(dir, 'bomb.png'), makeDeclaredSizePng(100_000, 100_000));
});
afterAll(async () => {
  s3?.destroy();
  await stopServes();
});

async function storedIds(): Promise<string[]> {
  const listed = await runCli(home, ['articles', 'list', '--json'], env);
  return JSON.parse(listed.stdout).map((article: { id: string }) => article.id);
}

/** An article file in the test folder whose lead photo is `image`. */
async function article(name: string, headline: string, image: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(
    file,
    `${headline}\n\n${image}\nA photo of it\nTest Camera/Test Press\n\nIntro.\n`,
  );
  return file;
}

const objectOf = async (key: string) =>
  Buffer.from(
    (await (
      await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
    ).Body?.transformToByteArray()) ?? [],
  );

describe('newsletter import with photos', () => {
  it('stores a camera JPEG upright, at most 1200 px wide, without EXIF, under 200 KB, and links the article to it', async () => {
    const file = await article('camera.txt', 'Camera Photo Story', 'camera.jpg');

    const result = await runCli(home, ['import', '--json', file], env);

    expect(result.code).toBe(0);
    const { articles, images } = JSON.parse(result.stdout);
    const [image] = articles[0].lead.images;
    expect(images).toHaveLength(1);
    expect(images[0]).toMatchObject({ original: 'camera.jpg', url: image.url, line: 3 });
    const key: string = images[0].key;
    expect(image.url).toBe(`https://media.example.com/${key.slice('media/'.length)}`);
    const stored = await objectOf(key);
    const meta = await sharp(stored).metadata();
    expect(meta.format).toBe('jpeg');
    // Orientation 6 turns the stored 4000 × 3000 upright: a portrait.
    expect([meta.width, meta.height]).toEqual([1200, 1600]);
    expect([image.width, image.height]).toEqual([1200, 1600]);
    expect(meta.exif).toBeUndefined();
    expect(stored.includes(Buffer.from(photoGps.GPSMapDatum))).toBe(false);
    expect(stored.length).toBeLessThan(200_000);
    expect(await storedIds()).toContain('camera-photo-story');
  });

  it('keeps a PNG with transparency a PNG', async () => {
    const file = await article('logo.txt', 'Logo Story', 'logo.png');

    const result = await runCli(home, ['import', '--json', file], env);

    const [image] = JSON.parse(result.stdout).images;
    expect(image.key).toMatch(/\.png$/);
    expect((await sharp(await objectOf(image.key)).metadata()).hasAlpha).toBe(true);
  });

  it('stores one object for a photo that two articles share', async () => {
    const before = await mediaKeys(s3);
    const a = await article('share-a.txt', 'Shared One', 'shared.jpg');
    const b = await article('share-b.txt', 'Shared Two', 'shared.jpg');

    const result = await runCli(home, ['import', '--json', a, b], env);
    const again = await runCli(home, ['import', '--json', a], env);

    expect(result.code).toBe(0);
    expect(again.code).toBe(0);
    const [first, second] = JSON.parse(result.stdout).articles;
    expect(first.lead.images[0].url).toBe(second.lead.images[0].url);
    const key = JSON.parse(result.stdout).images[0].key;
    expect(await mediaKeys(s3)).toEqual([...before, key].sort());
  });

  it.each([
    ['a truncated JPEG', 'corrupt.jpg', /corrupt\.jpg is a JPEG file whose pixels cannot be read/],
    ['a decompression bomb', 'bomb.png', /bomb\.png is 100000 × 100000 px/],
    ['a missing file', 'nowhere.jpg', /nowhere\.jpg does not exist/],
  ])(
    'refuses %s with exit 1, naming file and line, and stores nothing',
    async (_, image, problem) => {
      const before = await mediaKeys(s3);
      const good = await article(`good-${image}.txt`, `Good Beside ${image}`, 'camera.jpg');
      const bad = await article(`bad-${image}.txt`, `Bad ${image}`, image);

      const result = await runCli(home, ['import', good, bad], env);

      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`${bad}:3: the image ${image}`);
      expect(result.stderr).toMatch(problem);
      expect(result.stderr).toContain('Nothing was imported (1 image refused)');
      expect(await mediaKeys(s3)).toEqual(before);
      const ids = await storedIds();
      expect(ids.some((id) => id.startsWith('good-beside') || id.startsWith('bad-'))).toBe(false);
    },
  );

  describe('--fetch-images', () => {
    let server: Awaited<ReturnType<typeof startHttpsServer>>;
    let trust: Record<string, string>;
    beforeAll(async () => {
      const tls = await selfSignedCertificate();
      const logo = await makeTransparentLogo();
      server = await startHttpsServer(tls, (request, response) => {
        if (request.url === '/logo.png') {
          response.writeHead(200, { 'content-type': 'image/png' });
          response.end(logo);
        } else {
          response.writeHead(404);
          response.end();
        }
      });
      // The CLI trusts the test's certificate as a company proxy's would be trusted.
      trust = { ...env, NODE_EXTRA_CA_CERTS: tls.certFile };
    });
    afterAll(() => server?.stop());

    it('leaves a remote photo where it is by default', async () => {
      const remote = `${server.base}/logo.png`;
      const file = await article('remote.txt', 'Remote Left', remote);

      const result = await runCli(home, ['import', '--json', '--dry-run', file], trust);

      const { articles, images } = JSON.parse(result.stdout);
      expect(articles[0].lead.images[0].url).toBe(remote);
      expect(images[0]).toMatchObject({ original: remote, url: remote, stored: false });
    });

    it('downloads, stores and reports a remote photo beside its original address', async () => {
      const remote = `${server.base}/logo.png`;
      const file = await article('fetched.txt', 'Remote Fetched', remote);

      const result = await runCli(home, ['import', '--json', '--fetch-images', file], trust);

      expect(result.code).toBe(0);
      const { articles, images } = JSON.parse(result.stdout);
      expect(images[0].original).toBe(remote);
      expect(images[0].url).toMatch(/^https:\/\/media\.example\.com\/[0-9a-f]{64}\.png$/);
      expect(articles[0].lead.images[0].url).toBe(images[0].url);
      expect(await mediaKeys(s3)).toContain(images[0].key);
    });

    it('refuses a remote photo that is not there, naming file and line', async () => {
      const file = await article('gone.txt', 'Remote Gone', `${server.base}/gone.png`);

      const result = await runCli(home, ['import', '--fetch-images', file], trust);

      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `${file}:3: the image ${server.base}/gone.png answered HTTP 404`,
      );
    });
  });
});
