import type { PublicAppDeps } from '#app/public-app.ts';
import type { Config } from '#core/config.ts';

/** The public app's ports, wired to this process's environment (the local services). */
export async function publicAppDeps(_config: Config, _stateDir: string): Promise<PublicAppDeps> {
  return {};
}
