import { readdir, readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { TemplateSet } from '#core/render/templates.ts';

/**
 * Reads a template folder: `digest.mjml.hbs`, `digest.txt.hbs` and `partials/*.hbs` (each
 * registered under its file name without `.hbs`; the folder may be absent).
 * @param dir the folder, as a file URL or a path; default: this `templates/` folder
 */
export async function loadTemplates(
  dir: URL | string = new URL('.', import.meta.url),
): Promise<TemplateSet> {
  const base = typeof dir === 'string' ? pathToFileURL(dir) : new URL(dir);
  // Without a trailing slash the folder's last segment would be replaced when resolving.
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const partialsDir = new URL('partials/', base);
  const [digest, text, entries] = await Promise.all([
    readFile(new URL('digest.mjml.hbs', base), 'utf8'),
    readFile(new URL('digest.txt.hbs', base), 'utf8'),
    readdir(partialsDir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    }),
  ]);
  const names = entries.filter((entry) => entry.endsWith('.hbs')).sort();
  const sources = await Promise.all(
    names.map((entry) => readFile(new URL(entry, partialsDir), 'utf8')),
  );
  const partials: Record<string, string> = {};
  for (const [index, entry] of names.entries()) {
    partials[entry.slice(0, -'.hbs'.length)] = sources[index] ?? '';
  }
  return { digest, text, partials };
}
