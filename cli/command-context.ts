import { basename } from 'node:path';
import { secretsManagerTokenKey } from '#adapters/secrets-manager-token-key.ts';
import type { Config } from '#core/common/config.ts';
import { loadConfig } from '../lambdas/adapters/config-file.ts';
import { withLocalServices } from './local-services.ts';
import { Output } from './output.ts';
import { stateDir } from './state-dir.ts';
import { deployedStackEnv, LocalOnlyError, targetsAws } from './target.ts';
import { localTokenKey } from './token-key.ts';

/**
 * What every command shares: the state folder, the configuration, and the services it
 * works on: the embedded ones of the state folder, or a deployed stack (`NEWSLETTER_TARGET=aws`).
 */
export class CommandContext {
  readonly stateDir = stateDir();
  /** True when the commands work on a deployed stack rather than the embedded services. */
  readonly targetsAws = targetsAws();
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
   * Runs `work` with the adapters pointed at this state folder's local services: those that
   * another command on the folder runs, else started here (and shared with the other
   * commands) unless this command already did (the SDK clients keep the endpoints they saw
   * first). With `own` (for `serve`), the services must run in this process: see
   * `withLocalServices`. On a deployed stack the adapters use the stack's variables and the
   * editor's credentials from the environment as they are.
   */
  async withServices<T>(
    work: (env: Record<string, string>) => Promise<T>,
    options: { own?: boolean } = {},
  ): Promise<T> {
    if (this.targetsAws) return work(deployedStackEnv());
    if (this.servicesEnv) return work(this.servicesEnv);
    const local = { command: commandName(process.argv), own: options.own };
    try {
      return await withLocalServices(
        this.stateDir,
        await this.config(),
        (env) => {
          this.servicesEnv = env;
          return work(env);
        },
        local,
      );
    } finally {
      this.servicesEnv = undefined;
    }
  }

  /** The key of subscriber links: Secrets Manager on a deployed stack, else the state folder's. */
  tokenKey(): Promise<Uint8Array> {
    return this.targetsAws ? secretsManagerTokenKey() : localTokenKey(this.stateDir);
  }

  /** Refuses a command that only works on the embedded services. */
  requireLocal(command: string, why: string): void {
    if (this.targetsAws)
      throw new LocalOnlyError(`newsletter ${command} works locally only: ${why}`);
  }
}

/**
 * The command this process runs, as typed (`newsletter send`), named to the other commands
 * that share its local services; undefined when the process is no `newsletter` command.
 */
function commandName(argv: string[]): string | undefined {
  const program = basename(argv[1] ?? '');
  if (program !== 'bin.js' && program !== 'newsletter') return undefined;
  const word = argv.slice(2).find((arg) => !arg.startsWith('-'));
  return word ? `newsletter ${word}` : undefined;
}
