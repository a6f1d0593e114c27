import { archiveFromEnv } from '#adapters/s3-archive.ts';
import { SharpImageProcessor } from '#adapters/sharp-image-processor.ts';
import type { EditorApiDeps } from '#app/editor-api/editor-api-deps.ts';
import type { LogLine } from '#core/common/log-line.ts';
import type { LinkKeyStore } from '#core/subscribers/link-keys.ts';
import { editorApiDepsFromEnv } from '#handlers/editor-api-deps-from-env.ts';
import { compileConfirmationTemplates } from '#templates/compile-confirmation-templates.ts';
import { cliActor } from '../cli-actor.ts';
import { unknownWindowSeconds } from '../issue-deps.ts';
import { readScheduleRecord } from '../local/schedule-record.ts';
import { writeLocalIssue } from '../local-archive.ts';
import type { BuildEditorApiDeps } from './live-editor-api.ts';

/** The state folder's own values, for {@link localEditorApiDeps}. */
export interface LocalEditorApiOptions {
  stateDir: string;
  /** The state folder's key of address hashes (`localHashKey`). */
  hashKey: Uint8Array;
  /** The state folder's keys of subscriber links (`LocalLinkKeys`). */
  linkKeys: LinkKeyStore;
  /**
   * The folder photos of imported articles are read from; absent: none is read, and an
   * article's photos are `https:` addresses, as on AWS.
   */
  imageFolder?: string;
  /** Who acts; default the CLI's actor (`cli:<local user>`). */
  actor?: EditorApiDeps['actor'];
  log: LogLine;
}

/**
 * Builds the editor API's ports on the local services as the CLI builds its own
 * (docs/editor-api.md, "locally"), for the studio and for `newsletter serve`'s signed
 * `/editor`: the CLI's actor unless another is given, the state folder's key, the local
 * runtime's unknown-outcome window, sharp for photos, a started issue's public copy in the
 * local archive and in `<state>/issues/`, and serve's record as the anchor of a `rate(…)`
 * schedule.
 */
export function localEditorApiDeps(options: LocalEditorApiOptions): BuildEditorApiDeps {
  const { stateDir, log } = options;
  const imageProcessor = new SharpImageProcessor();
  return (config, templates) =>
    editorApiDepsFromEnv({
      config,
      templates,
      confirmationTemplates: () => compileConfirmationTemplates(),
      hashKey: options.hashKey,
      linkKeys: options.linkKeys,
      actor: options.actor ?? (() => cliActor()),
      imageProcessor,
      ...(options.imageFolder === undefined ? {} : { imageFolder: options.imageFolder }),
      archive: async (issueId, content) => {
        await archiveFromEnv().putIssue(issueId, content.html);
        await writeLocalIssue(stateDir, issueId, content);
      },
      unknownWindowSeconds: unknownWindowSeconds(config, false),
      scheduleAnchor: async (expression, timeZone) => {
        const record = await readScheduleRecord(stateDir);
        const same = record?.expression === expression && record.timeZone === timeZone;
        return same && record ? new Date(record.anchor) : undefined;
      },
      log,
    });
}
