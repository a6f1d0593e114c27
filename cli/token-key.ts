import { randomBytes } from 'node:crypto';
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The local hash key, the HMAC key of address and source hashes, which never rotates:
 * generated once into the state folder (`token.key`: it signed the links too before link keys
 * rotated, and the first local link key has its bytes), readable by its owner alone. On AWS
 * the key comes from Secrets Manager instead.
 */
export async function localHashKey(stateDir: string): Promise<Uint8Array> {
  const path = join(stateDir, 'token.key');
  try {
    return Buffer.from((await readFile(path, 'utf8')).trim(), 'base64url');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32);
  // Written in full under a private name, then linked into place: link() fails if the key
  // exists, and no concurrent reader ever sees an empty file (and signs with an empty key).
  const draft = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(draft, key.toString('base64url'), { mode: 0o600 });
  try {
    await link(draft, path);
    return key;
  } catch (error) {
    // Another process or handler wrote it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return localHashKey(stateDir);
    throw error;
  } finally {
    await unlink(draft).catch(() => {});
  }
}
