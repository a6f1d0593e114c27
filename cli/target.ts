import { ConfigError } from '#core/common/config.ts';

/** The variable that points the CLI at a deployed stack: `aws`, or `local` (the default). */
export const TARGET_ENV = 'NEWSLETTER_TARGET';

/** A command that only makes sense on the embedded services, run against a deployed stack. */
export class LocalOnlyError extends Error {
  override name = 'LocalOnlyError';
}

/**
 * True when the commands work on a deployed stack (`NEWSLETTER_TARGET=aws`) through its
 * editor API, signed with the editor's own AWS credentials, instead of the embedded services.
 */
export function targetsAws(env = process.env): boolean {
  const target = env[TARGET_ENV] ?? 'local';
  if (target !== 'aws' && target !== 'local') {
    throw new ConfigError(`${TARGET_ENV}: must be aws or local, not "${target}"`);
  }
  return target === 'aws';
}
