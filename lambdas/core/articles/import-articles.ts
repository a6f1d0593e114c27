import type { Article } from './article.ts';
import type { ImageReference } from './image-reference.ts';
import type { ArticleStore } from './ports.ts';

/** An article read from a file, with what the file itself said about its id and date. */
export interface ParsedArticle {
  article: Article;
  /** The file (and, for JSON arrays, the element) it came from, for messages. */
  source: string;
  /** True when the id was derived from the headline rather than given. */
  idDerived: boolean;
  /** True when the input gave `publishedAt` rather than the import stamping it. */
  publishedAtGiven: boolean;
  /**
   * The images the file names for the importer to resolve (see `importArticlesWithImages`): image
   * lines of slideshow text, `https:` photos of JSON. None when left out.
   */
  images?: readonly ImageReference[];
}

/** An import that would overwrite the wrong article; nothing was stored. */
export class ImportConflictError extends Error {
  override name = 'ImportConflictError';
}

/**
 * Stores parsed articles by `id`, all or nothing as far as checks go: a derived id that
 * belongs to a stored article of another headline, or one id given twice, refuses the
 * whole import. Re-importing a stored id replaces it (an editor's correction), keeping
 * its original `publishedAt` unless the new version gives one.
 * @returns the articles as stored (or as they would be, with `dryRun`)
 */
export async function importArticles(
  store: ArticleStore,
  parsed: readonly ParsedArticle[],
  options: { dryRun?: boolean } = {},
): Promise<Article[]> {
  const articles = await checkImport(store, parsed);
  if (!options.dryRun) await store.putAll(articles);
  return articles;
}

/**
 * The checks of `importArticles` without storing anything: the articles as they would be
 * stored, for an import that has more to store first (its photos).
 * @throws {ImportConflictError} when an id is given twice or a derived id names another article
 */
export async function checkImport(
  store: ArticleStore,
  parsed: readonly ParsedArticle[],
): Promise<Article[]> {
  const seen = new Map<string, string>();
  for (const { article, source } of parsed) {
    const earlier = seen.get(article.id);
    if (earlier) {
      throw new ImportConflictError(
        `${source}: the id "${article.id}" is also the id of ${earlier}; an import may hold each id once`,
      );
    }
    seen.set(article.id, source);
  }
  const stored = new Map(
    (await store.getMany(parsed.map(({ article }) => article.id))).map((a) => [a.id, a]),
  );
  return parsed.map(({ article, source, idDerived, publishedAtGiven }) => {
    const existing = stored.get(article.id);
    if (!existing) return article;
    if (idDerived && existing.headline !== article.headline) {
      throw new ImportConflictError(
        `${source}: the id "${article.id}" derived from its headline already belongs to the stored article "${existing.headline}"; give --id ${article.id} to replace that article on purpose, or another --id`,
      );
    }
    return publishedAtGiven ? article : { ...article, publishedAt: existing.publishedAt };
  });
}
