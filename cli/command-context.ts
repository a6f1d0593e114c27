import type { Config } from '#core/config.ts';
import { loadConfig } from './load-config.ts';
import { withLocalServices } from './local-services.ts';
import { Output } from './output.ts';
import { stateDir } from './state-dir.ts';

/** What every command shares: the state folder, the configuration and the local services. */
export class CommandContext {
  readonly stateDir = stateDir();
  private configPromise: Promise<Config> | undefined;
  private servicesEnv: Record<string, string> | undefined;

  /** The validated configuration, read once. */
  config(): Promise<Config> {
    this.configPromise ??= loadConfig();
    return this.configPromise;
  }

  output(json = false): Output {
    return new Output(json);
  }

  /**
   * Runs `work` with the adapters pointed at this state folder's local services, starting
   * them unless this command already did (the SDK clients keep the endpoints they saw first).
   */
  async withServices<T>(work: (env: Record<string, string>) => Promise<T>): Promise<T> {
    if (this.servicesEnv) return work(this.servicesEnv);
    try {
      return await withLocalServices(this.stateDir, await this.config(), (env) => {
        this.servicesEnv = env;
        return work(env);
      });
    } finally {
      this.servicesEnv = undefined;
    }
  }
}
