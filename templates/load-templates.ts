import { readdir, readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { ArchiveTemplates } from '#core/rendering/render-page.ts';
import type { TemplateSet } from '#core/rendering/templates.ts';

/**
 * Reads a template folder: `digest.mjml.hbs`, `digest.txt.hbs` and `partials/*.hbs` (each
 * registered under its file name without `.hbs`; the folder may be absent).
 * @param dir the folder, as a file URL or a path; default: this `templates/` folder (in a
 *   Lambda bundle: the bundle's folder, into which the stack copies `templates/`)
 */
export async function loadTemplates(
  dir: URL | string = new URL('.', import.meta.url),
): Promise<TemplateSet> {
  const base = folderUrl(dir);
  const [digest, text, partials] = await Promise.all([
    readFile(new URL('digest.mjml.hbs', base), 'utf8'),
    readFile(new URL('digest.txt.hbs', base), 'utf8'),
    readPartials(new URL('partials/', base)),
  ]);
  return { digest, text, partials };
}

/**
 * Reads the web archive's page templates: `article.html.hbs`, `not-found.html.hbs` and
 * `partials/*.hbs`.
 * @param dir the folder; default: `archive/` beside this file
 */
export async function loadArchiveTemplates(
  dir: URL | string = new URL('archive/', import.meta.url),
): Promise<ArchiveTemplates> {
  const base = folderUrl(dir);
  const [article, notFound, partials] = await Promise.all([
    readFile(new URL('article.html.hbs', base), 'utf8'),
    readFile(new URL('not-found.html.hbs', base), 'utf8'),
    readPartials(new URL('partials/', base)),
  ]);
  return { article, notFound, partials };
}

function folderUrl(dir: URL | string): URL {
  const base = typeof dir === 'string' ? pathToFileURL(dir) : new URL(dir);
  // Without a trailing slash the folder's last segment would be replaced when resolving.
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  return base;
}

async function readPartials(folder: URL): Promise<Record<string, string>> {
  const entries = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const names = entries.filter((entry) => entry.endsWith('.hbs')).sort();
  const sources = await Promise.all(names.map((entry) => readFile(new URL(entry, folder), 'utf8')));
  const partials: Record<string, string> = {};
  for (const [index, entry] of names.entries()) {
    partials[entry.slice(0, -'.hbs'.length)] = sources[index] ?? '';
  }
  return partials;
}
