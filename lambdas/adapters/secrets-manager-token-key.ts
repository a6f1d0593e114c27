import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * The variable naming the secret (ARN or name) that holds the hash key (of address and source
 * hashes). Its name is from when that key also signed the links, as deployed stacks know it.
 */
export const TOKEN_KEY_SECRET_ENV = 'TOKEN_KEY_SECRET_ARN';
/** Shortest key accepted, in bytes: HMAC-SHA256 gains nothing from less than its output. */
export const MIN_TOKEN_KEY_BYTES = 32;

/** The secret is missing, unreadable or too short. */
export class TokenKeyError extends Error {
  override name = 'TokenKeyError';
}

let client: SecretsManagerClient | undefined;
let cached: Promise<Uint8Array> | undefined;

/**
 * The hash key on AWS, the HMAC key of the keyed hashes of addresses (suppressions, forgotten
 * addresses) and of networks (sign-up counters), which never rotates: the secret named by
 * `TOKEN_KEY_SECRET_ARN`, its `SecretString` as UTF-8 bytes (e.g. 64 random letters and
 * digits, as CDK's `generateSecretString` makes them) or its `SecretBinary`, at least 32
 * bytes. It signed the links too before link keys rotated: the first link key ("0") has its
 * bytes. Read once per container; a failed read is tried again on the next call.
 */
export function secretsManagerHashKey(env = process.env): Promise<Uint8Array> {
  cached ??= readKey(env).catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function readKey(env: NodeJS.ProcessEnv): Promise<Uint8Array> {
  const secretId = env[TOKEN_KEY_SECRET_ENV];
  if (!secretId) {
    throw new TokenKeyError(`${TOKEN_KEY_SECRET_ENV} is not set: it names the hash key's secret`);
  }
  client ??= new SecretsManagerClient({});
  const secret = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  const key =
    secret.SecretBinary ??
    (secret.SecretString === undefined ? undefined : Buffer.from(secret.SecretString, 'utf8'));
  if (!key || key.byteLength < MIN_TOKEN_KEY_BYTES) {
    // Never the secret's value: its name and length are enough to act on.
    throw new TokenKeyError(
      `the secret ${secretId} must hold at least ${MIN_TOKEN_KEY_BYTES} bytes (it has ${key?.byteLength ?? 0})`,
    );
  }
  return key;
}
