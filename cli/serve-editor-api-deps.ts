import type { EditorApiDeps } from '#app/editor-api/editor-api-deps.ts';
import { signedActor } from '#app/editor-auth/signed-actor.ts';
import type { Config } from '#core/common/config.ts';
import type { LogLine } from '#core/common/log-line.ts';
import { loadTemplates } from '#templates/load-templates.ts';
import { LocalLinkKeys } from './local-link-keys.ts';
import { localEditorApiDeps } from './studio/local-editor-api-deps.ts';
import { localHashKey } from './token-key.ts';

/**
 * The editor API's ports for `newsletter serve`'s `/editor`, as the studio builds them
 * (`localEditorApiDeps`), but for the actor, whoever signed the request (`signedActor`,
 * behind `requireSigV4`), and the photos: as on AWS, no local file is read, and an article's
 * photos are `https:` addresses.
 */
export async function serveEditorApiDeps(
  config: Config,
  stateDir: string,
  log: LogLine,
): Promise<EditorApiDeps> {
  const build = localEditorApiDeps({
    stateDir,
    hashKey: await localHashKey(stateDir),
    linkKeys: new LocalLinkKeys(stateDir),
    actor: (c) => signedActor(c),
    log,
  });
  return build(config, await loadTemplates());
}
