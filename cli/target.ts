import { buckets, queues, topics } from '#adapters/resources.ts';
import { TOKEN_KEY_SECRET_ENV } from '#adapters/secrets-manager-token-key.ts';
import { tables } from '#adapters/tables.ts';
import { ConfigError, envNameOf } from '#core/common/config.ts';

/** The variable that points the CLI at a deployed stack: `aws`, or `local` (the default). */
export const TARGET_ENV = 'NEWSLETTER_TARGET';

/** A command that only makes sense on the embedded services, run against a deployed stack. */
export class LocalOnlyError extends Error {
  override name = 'LocalOnlyError';
}

/**
 * True when the commands work on a deployed stack (`NEWSLETTER_TARGET=aws`) through the
 * editor's own AWS credentials and the stack's outputs, instead of the embedded services.
 */
export function targetsAws(env = process.env): boolean {
  const target = env[TARGET_ENV] ?? 'local';
  if (target !== 'aws' && target !== 'local') {
    throw new ConfigError(`${TARGET_ENV}: must be aws or local, not "${target}"`);
  }
  return target === 'aws';
}

/**
 * The stack's variables (its `CliEnvironment` output) as the adapters read them, and the
 * media distribution's address, checked for completeness: a clear error names every one that
 * is missing.
 */
export function deployedStackEnv(env = process.env): Record<string, string> {
  const names = [
    ...Object.values(tables).map((table) => table.env),
    buckets.archive.env,
    ...Object.values(queues).flatMap((queue) => [queue.env, queue.deadLetter.env]),
    topics.sesEvents.env,
    TOKEN_KEY_SECRET_ENV,
    // Without it `send` would render photo addresses below publicBaseUrl, which on AWS serves
    // no photos: an issue mailed with broken images cannot be taken back.
    envNameOf('mediaBaseUrl'),
  ];
  const missing = names.filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new ConfigError(
      `${TARGET_ENV}=aws needs the stack's variables (its CliEnvironment output); missing: ${missing.join(', ')}`,
    );
  }
  return Object.fromEntries(names.map((name) => [name, env[name] ?? '']));
}
