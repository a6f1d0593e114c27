import { readLiveServices } from '#cli/local/services-record.ts';
import { freshHome, runCli } from './run-cli.ts';
import { startServe } from './serve-cli.ts';

/**
 * A deployed stack as the CLI sees it with `NEWSLETTER_TARGET=aws`, stood in for by
 * `newsletter serve` on a state folder of its own: its editor API under `/editor`, signed with
 * the local services' key pair. `remote` runs a command as an editor's shell would, on
 * another, empty state folder, with only the stack's API address, the region and the key pair:
 * no table, bucket or queue variable. `local` runs a command on the stack's own folder (to
 * look behind the API). Stop it with `stopServes` after each test.
 */
export async function startRemoteStack() {
  const stackHome = await freshHome();
  const serve = await startServe(stackHome);
  const live = await readLiveServices(stackHome);
  const env = live?.env ?? {};
  const editorHome = await freshHome();
  const remoteEnv = {
    NEWSLETTER_TARGET: 'aws',
    NEWSLETTER_EDITOR_API_URL: `${serve.base}/editor`,
    AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID ?? '',
    AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY ?? '',
    AWS_REGION: env.AWS_REGION ?? '',
  };
  return {
    ...serve,
    stackHome,
    editorHome,
    remoteEnv,
    remote: (args: string[], extra: Record<string, string> = {}) =>
      runCli(editorHome, args, { ...remoteEnv, ...extra }),
    local: serve.cli,
  };
}
