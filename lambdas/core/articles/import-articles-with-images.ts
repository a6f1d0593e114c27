import type { Config } from '../common/config.ts';
import { ImageError } from '../media/image-error.ts';
import { ImageSourceError } from '../media/image-source-error.ts';
import { mediaContentTypes, mediaKey } from '../media/media-key.ts';
import { mediaBaseUrlOf, mediaUrl } from '../media/media-url.ts';
import type {
  ImageFetcher,
  ImageFiles,
  ImageFormat,
  ImageProcessor,
  MediaStore,
  ProcessedImage,
} from '../media/ports.ts';
import type { Article } from './article.ts';
import { ArticleFileError } from './article-file-error.ts';
import type { ImageReference } from './image-reference.ts';
import { withImage } from './image-reference.ts';
import { checkImport, type ParsedArticle } from './import-articles.ts';
import type { ArticleStore } from './ports.ts';

/** What an import with photos works with. */
export interface ImportWithImagesDeps {
  articles: ArticleStore;
  media: MediaStore;
  processor: ImageProcessor;
  files: ImageFiles;
  fetcher: ImageFetcher;
  /** Where stored photos are served from (`mediaUrl`). */
  config: Pick<Config, 'mediaBaseUrl' | 'publicBaseUrl'>;
}

export interface ImportWithImagesOptions {
  /** Read, fetch and process every image and check every article, but store nothing. */
  dryRun?: boolean;
  /** Download remote `https:` photos and store them like local files, instead of linking them. */
  fetchImages?: boolean;
}

/** What became of one image an article file named, for the import report. */
export interface ImportedImage {
  /** The id of the article it belongs to. */
  article: string;
  /** The article file, and the line (slideshow text) or JSON path that names the image. */
  file: string;
  line?: number;
  path?: string;
  /** The path or address as the file writes it. */
  original: string;
  /** Where the digest loads it from: the stored copy's address, or `original` left remote. */
  url: string;
  /** True when the photo is (or, on a dry run, would be) in the media store. */
  stored: boolean;
  /** The stored copy: its media key, format, size in pixels and bytes. */
  key?: string;
  format?: ImageFormat;
  width?: number;
  height?: number;
  bytes?: number;
  /** True when the store had this photo before the import (a re-import, a shared photo). */
  alreadyStored?: boolean;
}

/** An import with photos: the articles as stored, and what became of each image. */
export interface ImportWithImagesResult {
  articles: Article[];
  images: ImportedImage[];
}

/**
 * Images that an import could not use; nothing of the import was stored. `errors` has one
 * `ArticleFileError` per image, each naming the article file and line (or JSON path).
 */
export class ArticleImagesError extends Error {
  override readonly name = 'ArticleImagesError';
  readonly errors: readonly ArticleFileError[];

  constructor(errors: readonly ArticleFileError[]) {
    super(errors.map((error) => error.message).join('\n'));
    this.errors = errors;
  }
}

/**
 * Imports parsed articles with their photos, all or nothing: reads every local image the
 * articles name (and, with `fetchImages`, downloads every remote one), processes each into
 * an email image in memory, and only when every image and every article passes stores the
 * photos (content-addressed, so a photo already stored is not stored again) and then the
 * articles, whose photos now carry the stored copy's `url`, `width` and `height`. A remote
 * photo not fetched keeps its address, and a photo already at `mediaBaseUrl` is left as it is.
 * @throws {ArticleImagesError} naming every image that could not be read, fetched or processed
 * @throws {ImportConflictError} as `importArticles`
 */
export async function importArticlesWithImages(
  deps: ImportWithImagesDeps,
  parsed: readonly ParsedArticle[],
  options: ImportWithImagesOptions = {},
): Promise<ImportWithImagesResult> {
  const problems: ArticleFileError[] = [];
  const report: ImportedImage[] = [];
  const media = new Map<string, ProcessedImage>();
  // One file or address named twice (a photo shared by two articles) is processed once.
  const processed = new Map<string, ProcessedImage>();
  const ownBase = `${mediaBaseUrlOf(deps.config)}/`;

  const resolved: ParsedArticle[] = [];
  for (const entry of parsed) {
    let article = entry.article;
    for (const reference of entry.images ?? []) {
      const named = {
        article: article.id,
        file: reference.file,
        ...reference.location,
        original: reference.source,
      };
      if (reference.kind === 'https' && !options.fetchImages) {
        report.push({ ...named, url: reference.source, stored: false });
        continue;
      }
      if (reference.kind === 'https' && reference.source.startsWith(ownBase)) {
        report.push({ ...named, url: reference.source, stored: true });
        continue;
      }
      let image: ProcessedImage;
      try {
        image = await processOnce(deps, reference, processed);
      } catch (error) {
        if (!(error instanceof ImageError || error instanceof ImageSourceError)) throw error;
        problems.push(
          new ArticleFileError(
            reference.file,
            `the image ${reference.source} ${error.problem}`,
            reference.location,
            { cause: error },
          ),
        );
        continue;
      }
      const key = mediaKey(image);
      media.set(key, image);
      const url = mediaUrl(deps.config, key);
      article = withImage(article, reference.slot, {
        url,
        width: image.width,
        height: image.height,
      });
      report.push({
        ...named,
        url,
        stored: true,
        key,
        format: image.format,
        width: image.width,
        height: image.height,
        bytes: image.bytes.byteLength,
      });
    }
    resolved.push({ ...entry, article });
  }
  if (problems.length > 0) throw new ArticleImagesError(problems);

  const articles = await checkImport(deps.articles, resolved);
  const alreadyStored = new Set<string>();
  for (const key of media.keys()) if (await deps.media.has(key)) alreadyStored.add(key);
  for (const line of report) {
    if (line.key !== undefined) line.alreadyStored = alreadyStored.has(line.key);
  }
  if (!options.dryRun) {
    // Photos first: a stored article never points at a photo that is not there.
    for (const [key, image] of media) {
      if (!alreadyStored.has(key)) {
        await deps.media.put(key, image.bytes, mediaContentTypes[image.format]);
      }
    }
    await deps.articles.putAll(articles);
  }
  return { articles, images: report };
}

/** The processed image of a reference, reading or fetching and processing it once per import. */
async function processOnce(
  deps: ImportWithImagesDeps,
  reference: ImageReference,
  processed: Map<string, ProcessedImage>,
): Promise<ProcessedImage> {
  const identity =
    reference.kind === 'file'
      ? `file:${deps.files.resolve(reference.source, reference.file)}`
      : reference.source;
  const known = processed.get(identity);
  if (known !== undefined) return known;
  const bytes =
    reference.kind === 'file'
      ? await deps.files.read(deps.files.resolve(reference.source, reference.file))
      : await deps.fetcher.fetch(reference.source);
  const image = await deps.processor.process(bytes, reference.source);
  processed.set(identity, image);
  return image;
}
