import { join } from 'node:path';
import { defaultConfigPath, loadConfig } from '#adapters/config-file.ts';
import { mediaStoreFromEnv } from '#adapters/s3-media-store.ts';
import { mediaBaseUrlOf } from '#core/media/media-url.ts';
import { loadTemplates } from '#templates/load-templates.ts';
import type { CommandContext } from '../command-context.ts';
import { LocalLinkKeys } from '../local-link-keys.ts';
import { textLog } from '../text-log.ts';
import { localHashKey } from '../token-key.ts';
import { untilStopped } from '../until-stopped.ts';
import { loadStudioPage } from './load-studio-page.ts';
import { localEditorApiDeps } from './local-editor-api-deps.ts';
import { openBrowser } from './open-browser.ts';
import { startRemoteStudio } from './start-remote-studio.ts';
import { startStudio } from './start-studio.ts';
import type { StudioPage } from './studio-page.ts';

/** What `newsletter studio` was asked. */
export interface StudioCommandOptions {
  port: number;
  open?: boolean;
  /** The folder whose saved article files are imported again. */
  articles?: string;
  /** The digest's template folder. */
  templates: string;
}

/**
 * Runs the studio until Ctrl-C on the state folder's local services (those another command
 * runs, else its own, shared with the other commands), or on a deployed stack's editor API
 * with `NEWSLETTER_TARGET=aws` (`startRemoteStudio`): prints its address, opens it when
 * asked, then stops the watchers, the event streams and the server, and leaves the services
 * as `withServices` does.
 * @param page the studio's page; default the one of `cli/studio/page/`
 */
export async function runStudio(
  context: CommandContext,
  options: StudioCommandOptions,
  page?: StudioPage,
): Promise<void> {
  const out = context.output();
  const config = await context.config();
  const studioPage = page ?? (await loadStudioPage());
  // The editor API's failures, beside the studio's own lines: never an address.
  const log = textLog(process.stderr);
  if (context.targetsAws) {
    const studio = await startRemoteStudio({
      port: options.port,
      page: studioPage,
      api: context.editorApi(),
      mediaBaseUrl: mediaBaseUrlOf(config),
      log,
    });
    try {
      await announce(context, studio.url, options.open, 'Ctrl-C stops the studio.');
    } finally {
      await studio.close();
    }
    out.info('Stopped.');
    return;
  }
  await context.withServices(async () => {
    const studio = await startStudio({
      port: options.port,
      page: studioPage,
      buildDeps: localEditorApiDeps({
        stateDir: context.stateDir,
        hashKey: await localHashKey(context.stateDir),
        linkKeys: new LocalLinkKeys(context.stateDir),
        imageFolder: options.articles ?? process.cwd(),
        log,
      }),
      config,
      templatesDir: options.templates,
      configFile: process.env.NEWSLETTER_CONFIG || defaultConfigPath,
      ...(options.articles === undefined ? {} : { articlesDir: options.articles }),
      outboxDir: join(context.stateDir, 'outbox'),
      // The photos in the local S3, as `newsletter serve` reads them (`publicAppDeps`).
      media: mediaStoreFromEnv(),
      loadTemplates: (dir) => loadTemplates(dir),
      loadConfig: () => loadConfig(),
      log,
    });
    try {
      await announce(
        context,
        studio.url,
        options.open,
        'Ctrl-C stops the studio (and the local services it started, once no other command uses them).',
      );
    } finally {
      await studio.close();
    }
  });
  out.info('Stopped.');
}

/** Prints the studio's address and how to stop it, opens it when asked, and waits for Ctrl-C. */
async function announce(
  context: CommandContext,
  url: string,
  open: boolean | undefined,
  stopping: string,
): Promise<void> {
  const out = context.output();
  out.info(`Studio: ${url}`);
  out.info(stopping);
  if (open) openBrowser(url, (message) => process.stderr.write(`newsletter: ${message}\n`));
  await untilStopped();
}
