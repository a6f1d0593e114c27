import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ImportConflictError } from '#core/articles/import-articles.ts';
import {
  ArticleImagesError,
  type ImportWithImagesDeps,
  importArticlesWithImages,
} from '#core/articles/import-articles-with-images.ts';
import { ArticleFileError, parseArticleFile } from '#core/articles/parse-article-file.ts';

/** What an `articles-changed` event says: the ids imported, or why the file was refused. */
export type ArticlesChanged =
  | { at: string; imported: string[] }
  | { at: string; error: { message: string; file: string; line?: number } };

/**
 * Imports one saved article file of the `--articles` folder as `newsletter import FILE` does
 * (`parseArticleFile`, then `importArticlesWithImages`: all or nothing, a stored id replaced
 * with the editor's correction), its photos read relative to the file.
 * @param file the file's path relative to `dir`, as messages name it
 * @returns the ids imported, or the refusal (a bad file, a photo that cannot be used, an id
 *   that belongs to another article, a file gone before it was read)
 * @throws any other error: a fault of ours
 */
export async function reimportArticleFile(
  deps: ImportWithImagesDeps,
  dir: string,
  file: string,
): Promise<ArticlesChanged> {
  const at = () => new Date().toISOString();
  try {
    const bytes = await readFile(join(dir, file)).catch((error: NodeJS.ErrnoException) => {
      throw new ArticleFileError(file, `cannot be read (${error.code ?? error.message})`);
    });
    const parsed = parseArticleFile({ name: file, bytes }, { now: new Date() });
    const { articles } = await importArticlesWithImages(deps, parsed, {});
    return { at: at(), imported: articles.map((article) => article.id) };
  } catch (error) {
    const refusal = refusalOf(error, file);
    if (!refusal) throw error;
    return { at: at(), error: refusal };
  }
}

function refusalOf(error: unknown, file: string) {
  if (error instanceof ArticleImagesError) {
    const first = error.errors[0];
    return { message: error.message, file, ...lineOf(first) };
  }
  if (error instanceof ArticleFileError) return { message: error.message, file, ...lineOf(error) };
  if (error instanceof ImportConflictError) return { message: error.message, file };
  return undefined;
}

function lineOf(error: ArticleFileError | undefined): { line?: number } {
  return error?.line === undefined ? {} : { line: error.line };
}
