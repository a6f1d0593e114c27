import type { Config } from '#core/common/config.ts';
import type { LogLine } from '#core/common/log-line.ts';
import { mediaBaseUrlOf } from '#core/media/media-url.ts';
import type { MediaStore } from '#core/media/ports.ts';
import type { TemplateSet } from '#core/rendering/templates.ts';
import { IssueFeed } from './issue-feed.ts';
import { localIssueReports } from './issue-reports.ts';
import { type LocalServer, listenLocally } from './listen-locally.ts';
import { type BuildEditorApiDeps, LiveEditorApi } from './live-editor-api.ts';
import { type LiveReload, startLiveReload } from './start-live-reload.ts';
import { studioApp } from './studio-app.ts';
import { StudioEvents } from './studio-events.ts';
import type { StudioPage } from './studio-page.ts';
import { newStudioToken } from './studio-token.ts';

/** What a studio is started with; the local services already run (`withServices`). */
export interface StudioOptions {
  /** The port on 127.0.0.1; 0 picks a free one. */
  port: number;
  page: StudioPage;
  /** Builds the editor API's ports for a configuration. */
  buildDeps: BuildEditorApiDeps;
  config: Config;
  /** The digest's template folder, watched. */
  templatesDir: string;
  /** The configuration file, watched. */
  configFile: string;
  /** The `--articles` folder, watched, when given. */
  articlesDir?: string;
  /** The local SES's outbox folder. */
  outboxDir: string;
  /** The stored photos (the local S3's `media/`), served at `/media/…`. */
  media: MediaStore;
  loadTemplates(dir: string): Promise<TemplateSet>;
  loadConfig(): Promise<Config>;
  /** Where failures are logged: never an address. */
  log: LogLine;
  /** Milliseconds of quiet before a reload; default `DEFAULT_QUIET_MS`. */
  quietMs?: number;
  /** Milliseconds between two `issue` events of an issue underway; default 1 s. */
  issueEveryMs?: number;
}

/** A running studio. */
export interface Studio {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  port: number;
  /** This run's token: the page sends it back with every change. */
  token: string;
  /** The editor API as it is now (for tests: the ports and configuration in use). */
  live: LiveEditorApi;
  /** Live reload, watching once `ready` resolves. */
  reload: LiveReload;
  /** Stops everything the studio started: watchers, event streams, the feed, the server. */
  close(): Promise<void>;
}

/**
 * Starts the studio on the local services that run already: builds the page's assets, reads
 * the templates, serves `studioApp` on 127.0.0.1 only, and watches the templates, the
 * configuration and the `--articles` folder (resolving once the watchers are ready, so that
 * every save from then on is seen).
 */
export async function startStudio(options: StudioOptions): Promise<Studio> {
  const assets = await options.page.assets();
  const templates = await options.loadTemplates(options.templatesDir);
  const live = new LiveEditorApi(options.buildDeps, options.config, templates);
  const events = new StudioEvents();
  const feed = new IssueFeed({
    reports: localIssueReports(() => live.deps),
    listening: () => events.size > 0,
    send: (report) => events.send('issue', report),
    log: options.log,
    ...(options.issueEveryMs === undefined ? {} : { everyMs: options.issueEveryMs }),
  });
  const token = newStudioToken();
  let port = options.port;
  const app = studioApp({
    port: () => port,
    token,
    page: options.page,
    assets,
    settings: { liveReload: true, target: 'local' },
    api: (request) => live.router.fetch(request),
    mediaBaseUrl: () => mediaBaseUrlOf(live.configNow),
    events,
    feed,
    outboxDir: options.outboxDir,
    media: options.media,
    log: options.log,
  });
  let server: LocalServer;
  try {
    server = await listenLocally(app.fetch, port);
  } catch (error) {
    events.close();
    await feed.stop();
    throw error;
  }
  port = server.port;
  const reload = startLiveReload({
    templatesDir: options.templatesDir,
    configFile: options.configFile,
    ...(options.articlesDir === undefined ? {} : { articlesDir: options.articlesDir }),
    live,
    loadTemplates: options.loadTemplates,
    loadConfig: options.loadConfig,
    send: (event, data) => events.send(event, data),
    log: options.log,
    ...(options.quietMs === undefined ? {} : { quietMs: options.quietMs }),
  });
  await reload.ready;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    token,
    live,
    reload,
    close: async () => {
      await reload.close();
      events.close();
      await feed.stop();
      await server.close();
    },
  };
}
