import { basename, relative, sep } from 'node:path';
import { type FSWatcher, watch } from 'chokidar';
import { FileImageSource } from '#adapters/file-image-source.ts';
import type { Config } from '#core/common/config.ts';
import type { LogLine } from '#core/common/log-line.ts';
import { withoutAddresses } from '#core/common/without-addresses.ts';
import type { TemplateSet } from '#core/rendering/templates.ts';
import { type CoalescedRuns, coalescedRuns } from './coalesced-runs.ts';
import type { LiveEditorApi } from './live-editor-api.ts';
import { reimportArticleFile } from './reimport-article-file.ts';

/** What live reload watches, and what it reloads and tells. */
export interface LiveReloadOptions {
  /** The digest's template folder: `digest.mjml.hbs`, `digest.txt.hbs`, `partials/*.hbs`. */
  templatesDir: string;
  /** The configuration file (`NEWSLETTER_CONFIG`, else `newsletter.config.json`). */
  configFile: string;
  /** The `--articles` folder, whose saved `.txt` and `.json` files are imported again. */
  articlesDir?: string;
  live: LiveEditorApi;
  loadTemplates(dir: string): Promise<TemplateSet>;
  loadConfig(): Promise<Config>;
  /** Sends one event to the studio's pages. */
  send(event: 'templates-changed' | 'articles-changed', data: unknown): void;
  log: LogLine;
  /** Milliseconds of quiet before a reload; default `DEFAULT_QUIET_MS`. */
  quietMs?: number;
}

/** Live reload, running. */
export interface LiveReload {
  /** Resolves once every watcher has read its folder: changes from then on are seen. */
  ready: Promise<void>;
  /** Resolves once no reload or import is due or under way. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Watches the templates, the configuration file and the `--articles` folder (chokidar). A
 * burst of saves is taken in once it has been quiet a moment, never two reloads at once (a
 * save during one makes one more after it): saved templates are read again and the
 * configuration too when it changed, then `templates-changed` says which files; a saved
 * article file is imported again, then `articles-changed` says what was imported, or why the
 * file was refused. What cannot be read is told in the event's `error`, and what was taken
 * in before stays.
 */
export function startLiveReload(options: LiveReloadOptions): LiveReload {
  const failed = (what: string) => (error: unknown) => logFailure(options.log, what, error);
  const sources = coalescedRuns(
    (files) => reloadSources(options, files),
    failed('reload'),
    options.quietMs,
  );
  const watchers: FSWatcher[] = [];
  const runs: CoalescedRuns[] = [sources];

  const templates = watch(options.templatesDir, {
    ignoreInitial: true,
    ignored: (path) => !isTemplatePath(relative(options.templatesDir, path)),
  });
  templates.on('all', (event, path) => {
    const file = relative(options.templatesDir, path);
    if (event !== 'addDir' && event !== 'unlinkDir' && isTemplateFile(file)) {
      sources.add(toPosix(file));
    }
  });
  watchers.push(templates);

  const config = watch(options.configFile, { ignoreInitial: true });
  config.on('all', (event) => {
    if (event === 'add' || event === 'change') sources.add(CONFIG);
  });
  watchers.push(config);

  const { articlesDir } = options;
  if (articlesDir) {
    const articles = coalescedRuns(
      (files) => reimportFiles(options, articlesDir, files),
      failed('article import'),
      options.quietMs,
    );
    runs.push(articles);
    const watcher = watch(articlesDir, {
      ignoreInitial: true,
      ignored: (path) => basename(path).startsWith('.'),
    });
    watcher.on('all', (event, path) => {
      if ((event === 'add' || event === 'change') && isArticleFile(path)) {
        articles.add(toPosix(relative(articlesDir, path)));
      }
    });
    watchers.push(watcher);
  }

  return {
    ready: Promise.all(watchers.map((watcher) => ready(watcher))).then(() => undefined),
    idle: () => Promise.all(runs.map((run) => run.idle())).then(() => undefined),
    close: async () => {
      await Promise.all(watchers.map((watcher) => watcher.close()));
      await Promise.all(runs.map((run) => run.close()));
    },
  };
}

/** The configuration file among the saved files; told by its file name. */
const CONFIG = '\0config';

/** Reads the saved templates (and configuration) again, then says so. */
async function reloadSources(options: LiveReloadOptions, files: string[]): Promise<void> {
  const problems: string[] = [];
  const templateFiles = files.filter((file) => file !== CONFIG);
  if (templateFiles.length > 0) {
    try {
      options.live.setTemplates(await options.loadTemplates(options.templatesDir));
    } catch (error) {
      problems.push(`the templates cannot be read: ${(error as Error).message}`);
    }
  }
  if (files.includes(CONFIG)) {
    try {
      options.live.setConfig(await options.loadConfig());
    } catch (error) {
      problems.push(`the configuration was not reloaded: ${(error as Error).message}`);
    }
  }
  const at = new Date().toISOString();
  const error = problems.length > 0 ? { error: { message: problems.join('\n') } } : {};
  const named = files.map((file) => (file === CONFIG ? basename(options.configFile) : file));
  options.send('templates-changed', { at, files: named.sort(), ...error });
}

/** Imports each saved article file again, one after the other, each told by its own event. */
async function reimportFiles(options: LiveReloadOptions, dir: string, files: string[]) {
  const deps = { ...options.live.deps.articles, files: new FileImageSource(dir) };
  for (const file of files.sort()) {
    try {
      options.send('articles-changed', await reimportArticleFile(deps, dir, file));
    } catch (error) {
      logFailure(options.log, `importing ${file}`, error);
      const message = "The import failed on the studio's side; the studio's output says why.";
      options.send('articles-changed', { at: new Date().toISOString(), error: { message, file } });
    }
  }
}

/** A failure of ours, in the studio's log: never an address. */
function logFailure(log: LogLine, what: string, error: unknown): void {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  log({
    level: 'error',
    message: withoutAddresses(`studio live reload: ${what} failed`),
    error: withoutAddresses(text),
  });
}

/** Whether a path of the template folder may hold templates: the folder, its partials. */
function isTemplatePath(file: string): boolean {
  if (file === '' || file === 'partials') return true;
  return isTemplateFile(file);
}

/** The files `loadTemplates` reads. */
function isTemplateFile(file: string): boolean {
  const parts = file.split(sep);
  if (parts.length === 1) return file === 'digest.mjml.hbs' || file === 'digest.txt.hbs';
  return parts.length === 2 && parts[0] === 'partials' && (parts[1] ?? '').endsWith('.hbs');
}

/** Slideshow text (`.txt`) and JSON articles; not photos, nor an editor's backup files. */
function isArticleFile(path: string): boolean {
  return /\.(txt|json)$/i.test(path) && !basename(path).startsWith('.');
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

function ready(watcher: FSWatcher): Promise<void> {
  return new Promise((resolve) => watcher.once('ready', () => resolve()));
}
