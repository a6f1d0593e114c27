import type { LogLine } from '#core/common/log-line.ts';
import type { EditorApiClient } from '../remote/editor-api-client.ts';
import { IssueFeed } from './issue-feed.ts';
import { remoteIssueReports } from './issue-reports.ts';
import { listenLocally } from './listen-locally.ts';
import { studioApp } from './studio-app.ts';
import { StudioEvents } from './studio-events.ts';
import type { StudioPage } from './studio-page.ts';
import { newStudioToken } from './studio-token.ts';

/** What a studio on a deployed stack is started with. */
export interface RemoteStudioOptions {
  /** The port on 127.0.0.1; 0 picks a free one. */
  port: number;
  page: StudioPage;
  /** The stack's editor API, signed with the editor's credentials. */
  api: EditorApiClient;
  /** Where the stack serves its photos (`NEWSLETTER_MEDIA_BASE_URL`): the previews load them. */
  mediaBaseUrl: string;
  /** Where failures are logged: never an address. */
  log: LogLine;
}

/**
 * Starts the studio on a deployed stack (`NEWSLETTER_TARGET=aws`): the same page and guard as
 * locally, on 127.0.0.1, with `/api` sent on, signed, to the stack's editor API, and the
 * `issue` events read through it. The stack renders with its own templates and keeps no
 * outbox: there is no live reload and no outbox here.
 */
export async function startRemoteStudio(options: RemoteStudioOptions) {
  const assets = await options.page.assets();
  const events = new StudioEvents();
  const feed = new IssueFeed({
    reports: remoteIssueReports(options.api),
    listening: () => events.size > 0,
    send: (report) => events.send('issue', report),
    log: options.log,
  });
  const token = newStudioToken();
  let port = options.port;
  const app = studioApp({
    port: () => port,
    token,
    page: options.page,
    assets,
    settings: { liveReload: false, target: 'aws' },
    api: (request) => {
      const url = new URL(request.url);
      return options.api.forward(request, `${url.pathname}${url.search}`);
    },
    mediaBaseUrl: () => options.mediaBaseUrl,
    events,
    feed,
    log: options.log,
  });
  const server = await listenLocally(app.fetch, port).catch(async (error: unknown) => {
    events.close();
    await feed.stop();
    throw error;
  });
  port = server.port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    token,
    close: async () => {
      events.close();
      await feed.stop();
      await server.close();
    },
  };
}
