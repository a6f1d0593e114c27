import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  FIRST_KID,
  LinkKeyError,
  type LinkKeyStore,
  type LinkKeys,
  linkKeysOf,
  withLinkKey,
  withoutLinkKey,
} from '#core/subscribers/link-keys.ts';
import { localHashKey } from './token-key.ts';

/** The file, in the state folder, of the local link keys. */
export const LINK_KEYS_FILE = 'link-keys.json';
/** Bytes of a new local link key. */
const NEW_KEY_BYTES = 32;
/** How long a change waits for another process's change to end (ms). */
const LOCK_WAIT_MS = 5_000;
/** A lock older than this (ms) was left by a process that died while it changed the keys. */
const STALE_LOCK_MS = 30_000;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * The link keys of a state folder: `<state>/link-keys.json`, `{ "<kid>": "<key, base64url>" }`,
 * readable by its owner alone. Made on first use as `{ "0": <the bytes of token.key> }`: the
 * first link key is the hash key, which signed every local link before keys rotated, so those
 * keep working. Every call reads the file again (it is small), so `serve` signs with a key that
 * `newsletter keys rotate` added in another process from the next link on. A change is made
 * under a lock file (another process waits for it) and written whole under a private name,
 * then renamed into place: no reader ever sees half a file.
 */
export class LocalLinkKeys implements LinkKeyStore {
  /** Where the keys are kept. */
  readonly path: string;

  constructor(readonly stateDir: string) {
    this.path = join(stateDir, LINK_KEYS_FILE);
  }

  /** The keys as the file has them now. */
  current(): Promise<LinkKeys> {
    return this.read();
  }

  /** The keys as the file has them now (the same as {@link current}: nothing is cached). */
  reload(): Promise<LinkKeys> {
    return this.read();
  }

  /** Adds 32 random bytes under `kid`. */
  add(kid: string, _now: Date): Promise<LinkKeys> {
    return this.change((keys) => withLinkKey(keys, kid, randomBytes(NEW_KEY_BYTES)));
  }

  /** Removes the key `kid`. */
  remove(kid: string): Promise<LinkKeys> {
    return this.change((keys) => withoutLinkKey(keys, kid));
  }

  private async read(): Promise<LinkKeys> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await this.create();
      text = await readFile(this.path, 'utf8');
    }
    return parseKeys(this.path, text);
  }

  /**
   * Writes the first file, `{ "0": <token.key> }`, unless another process or handler does so
   * first: written in full under a private name, then linked into place (link() fails if the
   * file exists), as `localHashKey` writes its key.
   */
  private async create(): Promise<void> {
    await mkdir(this.stateDir, { recursive: true });
    const hashKey = await localHashKey(this.stateDir);
    const draft = draftOf(this.path);
    await writeFile(draft, format(linkKeysOf([[FIRST_KID, hashKey]])), { mode: 0o600 });
    try {
      await link(draft, this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await unlink(draft).catch(() => {});
    }
  }

  private async change(apply: (keys: LinkKeys) => LinkKeys): Promise<LinkKeys> {
    await this.read();
    const release = await lock(`${this.path}.lock`);
    try {
      const keys = apply(await this.read());
      const draft = draftOf(this.path);
      try {
        await writeFile(draft, format(keys), { mode: 0o600 });
        await rename(draft, this.path);
      } finally {
        await unlink(draft).catch(() => {});
      }
      return keys;
    } finally {
      await release();
    }
  }
}

function draftOf(path: string): string {
  return `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
}

function format(keys: LinkKeys): string {
  const value: Record<string, string> = {};
  for (const [kid, key] of keys.byKid) value[kid] = Buffer.from(key).toString('base64url');
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** The keys the file's text holds; what is wrong with it, by kid, never by value. */
function parseKeys(path: string, text: string): LinkKeys {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Not the parser's message: it quotes the text, which holds the keys.
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LinkKeyError(
      'invalid-store',
      `${path} must hold a JSON object of kids and keys, { "<kid>": "<key, base64url>" }`,
    );
  }
  const entries: [string, Uint8Array][] = [];
  for (const [kid, key] of Object.entries(value)) {
    if (typeof key !== 'string' || !BASE64URL.test(key)) {
      throw new LinkKeyError(
        'invalid-store',
        `${path}: the link key under the kid "${kid.slice(0, 20)}" is not base64url text`,
      );
    }
    entries.push([kid, Buffer.from(key, 'base64url')]);
  }
  try {
    return linkKeysOf(entries);
  } catch (error) {
    if (!(error instanceof LinkKeyError)) throw error;
    throw new LinkKeyError(error.problem, `${path}: ${error.message}`);
  }
}

/**
 * Takes the lock file `path` (created exclusively), waiting for another holder up to
 * {@link LOCK_WAIT_MS}; one older than {@link STALE_LOCK_MS} is taken over.
 * @returns what gives it back
 */
async function lock(path: string): Promise<() => Promise<void>> {
  const giveUpAt = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => unlink(path).catch(() => {});
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const since = await stat(path).then(
      (found) => found.mtimeMs,
      () => undefined,
    );
    if (since !== undefined && Date.now() - since > STALE_LOCK_MS) {
      await unlink(path).catch(() => {});
      continue;
    }
    if (Date.now() > giveUpAt) {
      throw new Error(
        `${path} is held by another process changing the link keys: try again, or remove it if no such process runs`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
