import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportConflictError, type ParsedArticle } from '#core/articles/import-articles.ts';
import {
  ArticleImagesError,
  type ImportWithImagesDeps,
  importArticlesWithImages,
} from '#core/articles/import-articles-with-images.ts';
import { parseArticleFile } from '#core/articles/parse-article-file.ts';
import { ImageError } from '#core/media/image-error.ts';
import { ImageSourceError } from '#core/media/image-source-error.ts';
import type { ImageFetcher, ImageFiles, ImageProcessor } from '#core/media/ports.ts';
import { MemoryMediaStore } from '../fakes/memory-media-store.ts';
import { MemoryArticleStore } from '../fakes/memory-stores.ts';

/** "Processes" an image into its bytes reversed, 1200 × 800; bytes `bad` are corrupt. */
const processor: ImageProcessor = {
  async process(bytes, sourceName) {
    if (new TextDecoder().decode(bytes) === 'bad') {
      throw new ImageError(sourceName, 'corrupt', 'is a JPEG file whose pixels cannot be read');
    }
    const out = new Uint8Array(bytes).reverse();
    const sha256 = createHash('sha256').update(out).digest('hex');
    return { bytes: out, format: 'jpeg', width: 1200, height: 800, sha256 };
  },
};

class FakeFiles implements ImageFiles {
  constructor(readonly files: Record<string, string>) {}
  resolve(imagePath: string, articleFile: string) {
    return posix.join(posix.dirname(articleFile), imagePath);
  }
  async read(path: string) {
    const text = this.files[path];
    if (text === undefined)
      throw new ImageSourceError(path, 'missing', `does not exist (looked for ${path})`);
    return new TextEncoder().encode(text);
  }
}

const fetcher: ImageFetcher = {
  async fetch(url) {
    return new TextEncoder().encode(`remote ${url}`);
  },
};

function setup(files: Record<string, string>) {
  const deps = {
    articles: new MemoryArticleStore(),
    media: new MemoryMediaStore(),
    processor,
    files: new FakeFiles(files),
    fetcher,
    config: { publicBaseUrl: 'https://news.example.com' },
  } satisfies ImportWithImagesDeps;
  return deps;
}

function parse(name: string, ...lines: string[]): ParsedArticle[] {
  const bytes = new TextEncoder().encode(lines.join('\n'));
  return parseArticleFile({ name, bytes }, { now: new Date('2026-11-26T09:00:00Z') });
}

const kites = (image = 'photos/kite.jpg') =>
  parse(
    'articles/kites.txt',
    'Kites Over the Dunes',
    '',
    image,
    'A kite',
    'Sam Ortiz/Coast',
    '',
    'Intro.',
  );

describe('importArticlesWithImages', () => {
  it('stores a local photo and gives the article its address and size', async () => {
    const deps = setup({ 'articles/photos/kite.jpg': 'kite pixels' });

    const { articles, images } = await importArticlesWithImages(deps, kites());

    const [key] = deps.media.writes;
    expect(key).toMatch(/^media\/[0-9a-f]{64}\.jpg$/);
    const url = `https://news.example.com/media/${key?.slice('media/'.length)}`;
    expect(articles[0]?.lead.images).toEqual([
      { caption: 'A kite', credit: 'Sam Ortiz/Coast', url, width: 1200, height: 800 },
    ]);
    expect(await deps.articles.getMany([articles[0]?.id ?? ''])).toEqual(articles);
    expect(images).toEqual([
      expect.objectContaining({
        file: 'articles/kites.txt',
        line: 3,
        original: 'photos/kite.jpg',
        url,
        stored: true,
      }),
    ]);
  });

  it('stores a photo shared by two articles, and imported again, once', async () => {
    const deps = setup({ 'articles/photos/kite.jpg': 'kite pixels' });
    const trams = parse('articles/trams.txt', 'Trams', '', 'photos/kite.jpg', 'A/B', '', 'Intro.');

    await importArticlesWithImages(deps, [...kites(), ...trams]);
    const again = await importArticlesWithImages(deps, kites());

    expect(deps.media.writes).toHaveLength(1);
    expect(again.images[0]?.alreadyStored).toBe(true);
  });

  it('stores nothing when one image is bad, and names every bad image by file and line', async () => {
    const deps = setup({ 'articles/photos/kite.jpg': 'kite pixels', 'articles/bad.jpg': 'bad' });
    const parsed = [
      ...kites(),
      ...parse('articles/a.txt', 'A', '', 'bad.jpg', 'A/B', '', 'Intro.'),
      ...parse('articles/b.txt', 'B', '', 'Intro.', '• Slide.', 'gone.png', 'A/B'),
    ];

    const refused = importArticlesWithImages(deps, parsed);

    await expect(refused).rejects.toThrow(ArticleImagesError);
    await expect(refused).rejects.toThrow(
      'articles/a.txt:3: the image bad.jpg is a JPEG file whose pixels cannot be read\n' +
        'articles/b.txt:5: the image gone.png does not exist (looked for articles/gone.png)',
    );
    expect(deps.media.objects.size).toBe(0);
    expect(await deps.articles.list()).toEqual([]);
  });

  it('stores no photo when an article is refused after its images passed', async () => {
    const deps = setup({ 'articles/photos/kite.jpg': 'kite pixels' });

    const refused = importArticlesWithImages(deps, [...kites(), ...kites()]);

    await expect(refused).rejects.toThrow(ImportConflictError);
    expect(deps.media.objects.size).toBe(0);
  });

  it('processes and reports on a dry run, and stores nothing', async () => {
    const deps = setup({ 'articles/photos/kite.jpg': 'kite pixels' });

    const { articles, images } = await importArticlesWithImages(deps, kites(), { dryRun: true });

    expect(articles[0]?.lead.images[0]?.width).toBe(1200);
    expect(images[0]?.key).toMatch(/^media\//);
    expect(deps.media.objects.size).toBe(0);
    expect(await deps.articles.list()).toEqual([]);
  });

  it('leaves a remote photo where it is, unless asked to fetch it', async () => {
    const remote = 'https://images.example.com/kite.jpg';

    const left = await importArticlesWithImages(setup({}), kites(remote));
    const deps = setup({});
    const fetched = await importArticlesWithImages(deps, kites(remote), { fetchImages: true });

    expect(left.articles[0]?.lead.images[0]?.url).toBe(remote);
    expect(left.images[0]).toMatchObject({ original: remote, url: remote, stored: false });
    expect(fetched.images[0]).toMatchObject({ original: remote, stored: true });
    expect(fetched.images[0]?.url).toMatch(
      /^https:\/\/news\.example\.com\/media\/[0-9a-f]{64}\.jpg$/,
    );
    expect(fetched.articles[0]?.lead.images[0]?.url).toBe(fetched.images[0]?.url);
    expect(deps.media.objects.size).toBe(1);
  });
});
