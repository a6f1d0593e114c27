import { FileImageSource } from '#adapters/file-image-source.ts';
import { HttpsImageFetcher } from '#adapters/https-image-fetcher.ts';
import { SharpImageProcessor } from '#adapters/sharp-image-processor.ts';
import type { Article } from '#core/articles/article.ts';
import type { ParsedArticle } from '#core/articles/import-articles.ts';
import {
  type ImportWithImagesOptions,
  type ImportWithImagesResult,
  importArticlesWithImages,
} from '#core/articles/import-articles-with-images.ts';
import type { ArticleStore } from '#core/articles/ports.ts';
import { isHttpsUrl } from '#core/common/https-url.ts';
import { mediaContentTypes } from '#core/media/media-key.ts';
import type { EditorApiClient } from './editor-api-client.ts';
import { ProcessedMedia } from './processed-media.ts';
import { RemoteMediaStore } from './remote-media-store.ts';

/**
 * Imports parsed articles with their photos into a deployed stack, through its editor API
 * only, all or nothing, with the result a local import gives (`importWithImages`):
 *
 * 1. asks the stack where it serves photos and how large one may be (`GET /media`);
 * 2. reads, fetches (`fetchImages`) and processes every photo here, with sharp, and checks
 *    every article against the stored ones (`GET /articles`), as the local import does: the
 *    same core function on a dry run, asking the stack which photos it has (`GET /media?key=`).
 *    A photo that cannot be used refuses the import, naming its file and line, before
 *    anything is uploaded;
 * 3. has the stack check the articles as they will be stored, their photos at its
 *    `mediaBaseUrl` with their sizes (`POST /articles?dryRun=1`, JSON);
 * 4. unless `dryRun`, uploads each new photo (`POST /media`), then imports the articles
 *    (`POST /articles`): photos first, so that no stored article names a missing photo.
 *
 * @param baseDir the folder that the article files' names are relative to
 * @throws {ArticleImagesError} naming every photo that cannot be used; nothing was uploaded
 * @throws {ImportConflictError} as the local import
 * @throws {EditorApiError} when the stack refuses a request
 */
export async function remoteImport(
  api: EditorApiClient,
  parsed: readonly ParsedArticle[],
  baseDir: string,
  options: ImportWithImagesOptions,
): Promise<ImportWithImagesResult> {
  const media = new RemoteMediaStore(api);
  const { baseUrl, maxBytes } = await media.settings();
  const processed = new ProcessedMedia(new SharpImageProcessor(), maxBytes);
  const checked = await importArticlesWithImages(
    {
      articles: storedArticles(api),
      media,
      processor: processed,
      files: new FileImageSource(baseDir),
      fetcher: new HttpsImageFetcher(),
      // The stack's own: the photos are named where it serves them.
      config: { mediaBaseUrl: baseUrl, publicBaseUrl: baseUrl },
    },
    parsed,
    { dryRun: true, fetchImages: options.fetchImages ?? false },
  );
  // The photos stored by this import, processed here.
  const photos = checked.images.flatMap(({ key, alreadyStored }) =>
    key === undefined ? [] : [{ key, alreadyStored: alreadyStored ?? false }],
  );
  if (photos.length > 0 && !isHttpsUrl(baseUrl)) {
    throw new Error(
      `the stack serves its photos at ${baseUrl}, but an article imported through the editor API ` +
        'may name https: photos only: give the stack an https: mediaBaseUrl. Nothing was imported.',
    );
  }
  const checkedThere = await api.json<ImportWithImagesResult>('POST', '/articles', {
    query: { dryRun: '1' },
    json: checked.articles,
  });
  if (options.dryRun) return { articles: checkedThere.articles, images: checked.images };

  const fresh = new Set(photos.filter((photo) => !photo.alreadyStored).map(({ key }) => key));
  for (const key of fresh) {
    const image = processed.get(key);
    if (image === undefined) throw new Error(`the photo ${key} was not processed here`);
    await media.put(key, image.bytes, mediaContentTypes[image.format]);
  }
  const stored = await api.json<ImportWithImagesResult>('POST', '/articles', {
    json: checked.articles,
  });
  return { articles: stored.articles, images: checked.images };
}

/**
 * The stack's articles, read through `GET /articles`, for the import's checks (an id that
 * names another article, a publication time to keep); the import stores through
 * `POST /articles`, never here.
 */
function storedArticles(api: EditorApiClient): ArticleStore {
  const list = () => api.json<Article[]>('GET', '/articles');
  return {
    list,
    async getMany(ids) {
      const byId = new Map((await list()).map((article) => [article.id, article]));
      return ids.flatMap((id) => byId.get(id) ?? []);
    },
    async putAll() {
      throw new Error('a remote import stores its articles through POST /articles');
    },
  };
}
