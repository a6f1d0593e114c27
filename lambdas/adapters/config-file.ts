import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type Config, ConfigError, parseConfig } from '#core/common/config.ts';

/** The committed configuration file at the repository root. */
export const defaultConfigPath = fileURLToPath(
  new URL('../../newsletter.config.json', import.meta.url),
);

/**
 * Reads and validates the configuration: the file named by `NEWSLETTER_CONFIG`, else the one
 * at the repository root, with `NEWSLETTER_*` overrides from the environment.
 */
export async function loadConfig(env = process.env): Promise<Config> {
  const path = env.NEWSLETTER_CONFIG || defaultConfigPath;
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`${path}: cannot be read (${(error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch (error) {
    throw new ConfigError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  return parseConfig(json, env, path);
}
