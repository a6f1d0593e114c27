import { cp, mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfigPath, loadConfig } from '#adapters/config-file.ts';
import { mediaStoreFromEnv } from '#adapters/s3-media-store.ts';
import { LocalLinkKeys } from '#cli/local-link-keys.ts';
import { localEditorApiDeps } from '#cli/studio/local-editor-api-deps.ts';
import { type Studio, startStudio } from '#cli/studio/start-studio.ts';
import type { StudioIndexOptions, StudioPage } from '#cli/studio/studio-page.ts';
import { localHashKey } from '#cli/token-key.ts';
import { loadTemplates } from '#templates/load-templates.ts';
import { holdLocalServices } from '../support/hold-local-services.ts';
import { freshHome, repoRoot } from '../support/run-cli.ts';

/** The sample articles and their photos. */
export const SAMPLES = join(repoRoot, 'samples/articles');

/** The page the tests serve instead of the real one: the token in a `<meta>`, a script, a style. */
export const testPage: StudioPage = {
  assets: async () => ({ js: 'document.title = "test studio";', css: 'body { margin: 0; }' }),
  indexHtml: (options: StudioIndexOptions) =>
    `<!doctype html><html><head><meta name="studio-token" content="${options.token}">` +
    `<meta name="studio-live-reload" content="${options.liveReload}">` +
    '<script src="/studio.js" defer></script><link rel="stylesheet" href="/studio.css">' +
    '</head><body><h1>Test studio</h1></body></html>',
};

/** A studio served in this process on the local services of a fresh state folder. */
export interface StudioHarness {
  home: string;
  studio: Studio;
  /** `http://127.0.0.1:PORT` */
  base: string;
  /** A temporary copy of the project's `templates/`, which the studio watches. */
  templatesDir: string;
  /** A temporary copy of `newsletter.config.json`, which the studio watches. */
  configFile: string;
  /** The `--articles` folder, a temporary copy of the sample articles, when asked. */
  articlesDir?: string;
  /** Every line the studio logged. */
  lines: Record<string, unknown>[];
  stop(): Promise<void>;
}

/**
 * Starts the local services of a fresh state folder in this process, as a command does,
 * and the studio on them (`startStudio`, as `newsletter studio --port 0` does) with the test
 * page, watching temporary copies of the templates and of the configuration file, and with
 * `articles` a copy of the sample articles as its `--articles` folder.
 */
export async function startStudioHarness(
  options: { articles?: boolean } = {},
): Promise<StudioHarness> {
  const home = await freshHome();
  const scratch = await mkdtemp(join(tmpdir(), 'newsletter-studio-'));
  const templatesDir = join(scratch, 'templates');
  await cp(join(repoRoot, 'templates'), templatesDir, { recursive: true });
  const configFile = join(scratch, 'newsletter.config.json');
  await cp(defaultConfigPath, configFile);
  const articlesDir = options.articles ? join(scratch, 'articles') : undefined;
  if (articlesDir) await cp(SAMPLES, articlesDir, { recursive: true });
  const env = { ...process.env, NEWSLETTER_CONFIG: configFile };
  const config = await loadConfig(env);
  const lines: Record<string, unknown>[] = [];
  const log = (line: Record<string, unknown>) => lines.push(line);

  const held = await holdLocalServices(home, config, 'studio test', async () => {
    const studio = await startStudio({
      port: 0,
      page: testPage,
      buildDeps: localEditorApiDeps({
        stateDir: home,
        hashKey: await localHashKey(home),
        linkKeys: new LocalLinkKeys(home),
        imageFolder: articlesDir ?? SAMPLES,
        log,
      }),
      config,
      templatesDir,
      configFile,
      ...(articlesDir ? { articlesDir } : {}),
      outboxDir: join(home, 'outbox'),
      media: mediaStoreFromEnv(),
      loadTemplates: (dir) => loadTemplates(dir),
      loadConfig: () => loadConfig(env),
      log,
    });
    return { value: studio, close: () => studio.close() };
  });
  const studio = held.value;
  return {
    home,
    studio,
    base: `http://127.0.0.1:${studio.port}`,
    templatesDir,
    configFile,
    ...(articlesDir ? { articlesDir } : {}),
    lines,
    stop: async () => {
      await held.release();
      await rm(home, { recursive: true, force: true });
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

/** An answer: its status, headers and body (JSON when it is JSON, else text). */
export interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: each test reads the fields its route answers.
  body: any;
}

/** One request to the studio from its own page: same origin, with the token on changes. */
export async function fromPage(
  harness: StudioHarness,
  method: string,
  path: string,
  sent: { json?: unknown; text?: string; type?: string; token?: string | null } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { 'sec-fetch-site': 'same-origin' };
  const token = sent.token === undefined ? harness.studio.token : sent.token;
  if (method !== 'GET' && token !== null) headers['x-studio-token'] = token;
  let body: string | undefined;
  if (sent.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(sent.json);
  } else if (sent.text !== undefined) {
    headers['content-type'] = sent.type ?? 'text/plain';
    body = sent.text;
  }
  const response = await fetch(`${harness.base}${path}`, { method, headers, body });
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').startsWith('application/json');
  return {
    status: response.status,
    headers: response.headers,
    body: json ? JSON.parse(text) : text,
  };
}

/**
 * A request with headers as given, `Host` included (which `fetch` does not let one choose):
 * what a page of another site, or a name rebound to 127.0.0.1, makes a browser send.
 */
export function rawRequest(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, method, path, headers, setHost: false },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    request.on('error', reject);
    request.end();
  });
}
