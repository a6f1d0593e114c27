import { type Config, ConfigError, parseConfig } from '#core/common/config.ts';

/** The variable in which the CDK app hands a function the validated configuration file. */
export const CONFIG_ENV = 'NEWSLETTER_CONFIG_JSON';

let cached: Config | undefined;

/**
 * The configuration of a Lambda function: the JSON in `NEWSLETTER_CONFIG_JSON`, with the
 * same `NEWSLETTER_*` overrides as the CLI (the stack sets `NEWSLETTER_PUBLIC_BASE_URL`).
 * Read once per container.
 */
export function configFromEnv(env = process.env): Config {
  if (cached && env === process.env) return cached;
  const json = env[CONFIG_ENV];
  if (!json) throw new ConfigError(`${CONFIG_ENV} is not set`);
  let file: unknown;
  try {
    file = JSON.parse(json);
  } catch (error) {
    throw new ConfigError(`${CONFIG_ENV}: not valid JSON (${(error as Error).message})`);
  }
  const config = parseConfig(file, env, CONFIG_ENV);
  if (env === process.env) cached = config;
  return config;
}
