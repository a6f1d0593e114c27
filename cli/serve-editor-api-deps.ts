import { archiveFromEnv } from '#adapters/s3-archive.ts';
import { SharpImageProcessor } from '#adapters/sharp-image-processor.ts';
import type { EditorApiDeps } from '#app/editor-api/editor-api-deps.ts';
import { signedActor } from '#app/editor-auth/signed-actor.ts';
import type { Config } from '#core/common/config.ts';
import type { LogLine } from '#core/common/log-line.ts';
import { editorApiDepsFromEnv } from '#handlers/editor-api-deps-from-env.ts';
import { compileConfirmationTemplates } from '#templates/compile-confirmation-templates.ts';
import { loadTemplates } from '#templates/load-templates.ts';
import { unknownWindowSeconds } from './issue-deps.ts';
import { readScheduleRecord } from './local/schedule-record.ts';
import { writeLocalIssue } from './local-archive.ts';
import { localTokenKey } from './token-key.ts';

/**
 * The editor API's ports for `newsletter serve`'s `/editor`, on this process's local
 * services: the actor is whoever signed the request (`signedActor`, behind `requireSigV4`);
 * a started issue's copy goes to the archive and the state folder, as the CLI's; `rate(…)`
 * counts from serve's record. As on AWS, no local file is read for photos: an article's
 * photos are `https:` addresses.
 */
export async function serveEditorApiDeps(
  config: Config,
  stateDir: string,
  log: LogLine,
): Promise<EditorApiDeps> {
  return editorApiDepsFromEnv({
    config,
    templates: await loadTemplates(),
    confirmationTemplates: () => compileConfirmationTemplates(),
    tokenKey: await localTokenKey(stateDir),
    actor: (c) => signedActor(c),
    imageProcessor: new SharpImageProcessor(),
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
