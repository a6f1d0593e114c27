import { randomInt } from 'node:crypto';
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  LinkKeyError,
  type LinkKeyStore,
  type LinkKeys,
  linkKeysOf,
  withLinkKey,
  withoutLinkKey,
} from '#core/subscribers/link-keys.ts';

/** The variable naming the secret (ARN or name) that holds the keys of subscriber links. */
export const LINK_KEYS_SECRET_ENV = 'LINK_KEYS_SECRET_ARN';
/**
 * How long `current()` answers from what it read (ms): a warm container starts signing with
 * a key added elsewhere at most this long after.
 */
export const LINK_KEYS_MAX_AGE_MS = 5 * 60_000;
/**
 * Least time between two reads by `reload()` (ms), and after a failed refresh by `current()`:
 * a forged link with a made-up kid never becomes one Secrets Manager read per request.
 */
export const LINK_KEYS_RELOAD_INTERVAL_MS = 60_000;
/** A new key: this many random letters and digits (about 381 bits), used as UTF-8 bytes. */
const NEW_KEY_LENGTH = 64;
const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** What {@link SecretsManagerLinkKeys} may be given instead of its defaults. */
export interface SecretsManagerLinkKeysOptions {
  /** Where `LINK_KEYS_SECRET_ARN` is read (when the secret is first read); default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Default: one built on first use, from the standard AWS environment. */
  client?: SecretsManagerClient;
  /** The time in ms since 1970, for the cache's ages; default `Date.now`. */
  clock?: () => number;
}

/**
 * The link keys on AWS: the secret named by `LINK_KEYS_SECRET_ARN`, its `SecretString` a JSON
 * object `{ "<kid>": "<key>" }`, each key a string used as its UTF-8 bytes (at least 32;
 * new ones are 64 random letters and digits). The stack creates it as `{ "0": <the hash
 * key's secret> }`, so links signed before rotation keep working.
 *
 * Read once per container, then: `current()` reads again once what it read is older than
 * {@link LINK_KEYS_MAX_AGE_MS} (should that read fail, it goes on with the keys it has and
 * tries again {@link LINK_KEYS_RELOAD_INTERVAL_MS} later); `reload()` reads again at most once
 * per {@link LINK_KEYS_RELOAD_INTERVAL_MS}, else answers what it has. `add` and `remove` read
 * the secret afresh, change it and write it back with `PutSecretValue` (the function needs
 * `secretsmanager:PutSecretValue`); two changes at the same moment may lose one. No error
 * ever contains a key.
 */
export class SecretsManagerLinkKeys implements LinkKeyStore {
  private readonly env: NodeJS.ProcessEnv;
  private client: SecretsManagerClient | undefined;
  private readonly clock: () => number;
  private cached: { keys: LinkKeys; readAt: number } | undefined;
  private reloadedAt = Number.NEGATIVE_INFINITY;
  private refreshFailedAt = Number.NEGATIVE_INFINITY;
  private reading: Promise<LinkKeys> | undefined;

  constructor(options: SecretsManagerLinkKeysOptions = {}) {
    this.env = options.env ?? process.env;
    this.client = options.client;
    this.clock = options.clock ?? Date.now;
  }

  /** The keys as last read, read again when older than {@link LINK_KEYS_MAX_AGE_MS}. */
  async current(): Promise<LinkKeys> {
    const now = this.clock();
    const { cached } = this;
    if (!cached) return this.read();
    if (now - cached.readAt < LINK_KEYS_MAX_AGE_MS) return cached.keys;
    if (now - this.refreshFailedAt < LINK_KEYS_RELOAD_INTERVAL_MS) return cached.keys;
    try {
      return await this.read();
    } catch {
      // The keys read before still sign and check what they did: carry on with them.
      this.refreshFailedAt = now;
      return cached.keys;
    }
  }

  /** The keys read again, unless `reload()` read them less than a minute ago. */
  async reload(): Promise<LinkKeys> {
    const now = this.clock();
    if (this.cached && now - this.reloadedAt < LINK_KEYS_RELOAD_INTERVAL_MS) {
      return this.cached.keys;
    }
    this.reloadedAt = now;
    return this.read();
  }

  /** Adds a key of 64 random letters and digits under `kid`, written to the secret. */
  async add(kid: string, _now: Date): Promise<LinkKeys> {
    const keys = withLinkKey(await this.fetch(), kid, Buffer.from(newKeyText(), 'utf8'));
    await this.write(keys);
    return keys;
  }

  /** Removes the key `kid` from the secret. */
  async remove(kid: string): Promise<LinkKeys> {
    const keys = withoutLinkKey(await this.fetch(), kid);
    await this.write(keys);
    return keys;
  }

  /** Reads the secret, once at a time: concurrent callers share the read. */
  private read(): Promise<LinkKeys> {
    this.reading ??= this.fetch().finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  private async fetch(): Promise<LinkKeys> {
    const secretId = this.secretId();
    const secret = await this.sdk().send(new GetSecretValueCommand({ SecretId: secretId }));
    const keys = parseSecret(secretId, secret.SecretString);
    this.cached = { keys, readAt: this.clock() };
    return keys;
  }

  private async write(keys: LinkKeys): Promise<void> {
    const value: Record<string, string> = {};
    for (const [kid, key] of keys.byKid) value[kid] = Buffer.from(key).toString('utf8');
    await this.sdk().send(
      new PutSecretValueCommand({ SecretId: this.secretId(), SecretString: JSON.stringify(value) }),
    );
    this.cached = { keys, readAt: this.clock() };
  }

  private secretId(): string {
    const secretId = this.env[LINK_KEYS_SECRET_ENV];
    if (!secretId) {
      throw new LinkKeyError(
        'invalid-store',
        `${LINK_KEYS_SECRET_ENV} is not set: it names the secret of the link keys`,
      );
    }
    return secretId;
  }

  private sdk(): SecretsManagerClient {
    this.client ??= new SecretsManagerClient({});
    return this.client;
  }
}

let shared: SecretsManagerLinkKeys | undefined;

/**
 * This container's {@link SecretsManagerLinkKeys} on `process.env`, made on first use: one
 * cache, whichever handler asks.
 */
export function secretsManagerLinkKeys(): SecretsManagerLinkKeys {
  shared ??= new SecretsManagerLinkKeys();
  return shared;
}

/**
 * This container's {@link secretsManagerLinkKeys}, read once now: for a function that builds
 * its ports before its first request, so that it fails at its start, naming the variable or
 * the secret, when the keys cannot be read, rather than at its first link; the first link is
 * then signed or checked without a wait.
 */
export async function loadSecretsManagerLinkKeys(): Promise<SecretsManagerLinkKeys> {
  const keys = secretsManagerLinkKeys();
  await keys.current();
  return keys;
}

/** The keys a `SecretString` holds; what is wrong with it, by kid, never by value. */
function parseSecret(secretId: string, text: string | undefined): LinkKeys {
  let value: unknown;
  try {
    value = text === undefined ? undefined : JSON.parse(text);
  } catch {
    // Not the parser's message: it quotes the text, which holds the keys.
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LinkKeyError(
      'invalid-store',
      `the secret ${secretId} must hold a JSON object of kids and keys, { "<kid>": "<key>" }, as its SecretString`,
    );
  }
  const entries: [string, Uint8Array][] = [];
  for (const [kid, key] of Object.entries(value)) {
    if (typeof key !== 'string') {
      throw new LinkKeyError(
        'invalid-store',
        `the secret ${secretId} holds a link key that is no string (under the kid "${kid.slice(0, 20)}")`,
      );
    }
    entries.push([kid, Buffer.from(key, 'utf8')]);
  }
  try {
    return linkKeysOf(entries);
  } catch (error) {
    if (!(error instanceof LinkKeyError)) throw error;
    throw new LinkKeyError(error.problem, `the secret ${secretId}: ${error.message}`);
  }
}

function newKeyText(): string {
  let text = '';
  for (let index = 0; index < NEW_KEY_LENGTH; index++) {
    text += KEY_ALPHABET[randomInt(KEY_ALPHABET.length)];
  }
  return text;
}
