import { archiveFromEnv } from '#adapters/s3-archive.ts';
import { SharpImageProcessor } from '#adapters/sharp-image-processor.ts';
import type { LogLine } from '#core/common/log-line.ts';
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
  /** The state folder's key of subscriber links (`localTokenKey`). */
  tokenKey: Uint8Array;
  /** The folder photos of imported articles are read from. */
  imageFolder: string;
  log: LogLine;
}

/**
 * Builds the editor API's ports on the local services as the CLI builds its own
 * (docs/editor-api.md, "locally"): the CLI's actor, the state folder's key, the local
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
      tokenKey: options.tokenKey,
      actor: () => cliActor(),
      imageProcessor,
      imageFolder: options.imageFolder,
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
