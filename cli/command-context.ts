import { basename } from 'node:path';
import { ulid } from 'ulid';
import { dynamoDb } from '#adapters/aws-clients.ts';
import { DynamoDbAuditTrail } from '#adapters/dynamodb-audit-trail.ts';
import { tableName, tables } from '#adapters/tables.ts';
import type { AuditOutcome } from '#core/audit/audit-record.ts';
import type { Config } from '#core/common/config.ts';
import { withoutAddresses } from '#core/common/without-addresses.ts';
import { loadConfig } from '../lambdas/adapters/config-file.ts';
import type { AuditedCommand } from './audited-commands.ts';
import { cliActor } from './cli-actor.ts';
import { cliAuditOutcome } from './cli-audit-outcome.ts';
import { LocalLinkKeys } from './local-link-keys.ts';
import { withLocalServices } from './local-services.ts';
import { Output } from './output.ts';
import { type EditorApiClient, editorApiClientFromEnv } from './remote/editor-api-client.ts';
import { stateDir } from './state-dir.ts';
import { LocalOnlyError, targetsAws } from './target.ts';
import { localHashKey } from './token-key.ts';

/**
 * What every command shares: the state folder, the configuration, and the services it
 * works on: the embedded ones of the state folder, or a deployed stack's editor API
 * (`NEWSLETTER_TARGET=aws`).
 */
export class CommandContext {
  readonly stateDir = stateDir();
  /** True when the commands work on a deployed stack rather than the embedded services. */
  readonly targetsAws = targetsAws();
  private configPromise: Promise<Config> | undefined;
  private client: EditorApiClient | undefined;
  private servicesEnv: Record<string, string> | undefined;
  /** The command to record once its work on the services ends (see {@link audit}). */
  private audited: AuditedCommand | undefined;
  /** How many `withServices` calls are running: only the outermost records. */
  private working = 0;

  /** The validated configuration, read once. */
  config(): Promise<Config> {
    this.configPromise ??= loadConfig();
    return this.configPromise;
  }

  output(json = false): Output {
    return new Output(json);
  }

  /**
   * The deployed stack's editor API (`NEWSLETTER_EDITOR_API_URL`), signed with the editor's
   * own AWS credentials: what every command calls with `NEWSLETTER_TARGET=aws`.
   */
  editorApi(): EditorApiClient {
    this.client ??= editorApiClientFromEnv();
    return this.client;
  }

  /**
   * Runs `work` with the adapters pointed at this state folder's local services: those that
   * another command on the folder runs, else started here (and shared with the other
   * commands) unless this command already did (the SDK clients keep the endpoints they saw
   * first). With `own` (for `serve`), the services must run in this process: see
   * `withLocalServices`. A deployed stack is reached through its editor API only
   * ({@link editorApi}): a command that has no way there is refused.
   */
  async withServices<T>(
    given: (env: Record<string, string>) => Promise<T>,
    options: { own?: boolean } = {},
  ): Promise<T> {
    const work = (env: Record<string, string>) => this.recorded(() => given(env));
    if (this.targetsAws) {
      const command = commandName(process.argv) ?? 'this command';
      throw new LocalOnlyError(
        `${command} works locally only: the editor API of a deployed stack offers no way to do it`,
      );
    }
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

  /**
   * Records `command` in the audit trail, as `cli:<local user>`, when its work on the services
   * ends (the first outermost {@link withServices} call after this, while the services are
   * still up): its target, and its outcome (`cliAuditOutcome`) from the exit code set so far,
   * the exit code its result will give (`AuditedCommand.failed`), or the error it threw. Set before the command runs (`auditCliCommands`). On a deployed
   * stack nothing is recorded here: the editor API records each change as its IAM caller.
   */
  audit(command: AuditedCommand): void {
    this.audited = command;
  }

  private async recorded<T>(work: () => Promise<T>): Promise<T> {
    const command = this.working === 0 ? this.audited : undefined;
    if (command) this.audited = undefined;
    this.working++;
    try {
      const result = await work();
      if (command) {
        const exitCode = Number(process.exitCode ?? 0) || (command.failed?.(result) ? 1 : 0);
        await recordCommand(command, command.target(result), cliAuditOutcome({ exitCode }));
      }
      return result;
    } catch (error) {
      if (command) {
        await recordCommand(command, command.target(undefined), cliAuditOutcome({ error }));
      }
      throw error;
    } finally {
      this.working--;
    }
  }

  /**
   * The key of address hashes, which never rotates: the state folder's (a deployed stack keeps
   * its own).
   */
  hashKey(): Promise<Uint8Array> {
    return localHashKey(this.stateDir);
  }

  /**
   * The keys of subscriber links: the state folder's (`<state>/link-keys.json`; a deployed
   * stack keeps its own, which its editor API changes).
   */
  linkKeys(): LocalLinkKeys {
    return new LocalLinkKeys(this.stateDir);
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

/**
 * Writes the audit record of a CLI command. A record that cannot be written is reported on
 * stderr (without addresses) and does not change the command's outcome.
 */
async function recordCommand(
  command: AuditedCommand,
  target: string | undefined,
  outcome: AuditOutcome,
): Promise<void> {
  const safeTarget =
    target !== undefined && withoutAddresses(target) === target ? target : undefined;
  try {
    await new DynamoDbAuditTrail(dynamoDb(), tableName(tables.audit)).record({
      at: new Date().toISOString(),
      id: ulid(),
      actor: cliActor(),
      action: command.name,
      ...(safeTarget === undefined ? {} : { target: safeTarget }),
      outcome,
    });
  } catch (error) {
    const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    process.stderr.write(
      `newsletter: warning: the audit record of \`${command.name}\` was not written: ${withoutAddresses(why)}\n`,
    );
  }
}
