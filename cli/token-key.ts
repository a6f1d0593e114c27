import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The local HMAC key for subscriber links: generated once into the state folder, readable
 * by its owner alone. On AWS the key comes from Secrets Manager instead.
 */
export async function localTokenKey(stateDir: string): Promise<Uint8Array> {
  const path = join(stateDir, 'token.key');
  try {
    return Buffer.from((await readFile(path, 'utf8')).trim(), 'base64url');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32);
  try {
    await writeFile(path, key.toString('base64url'), { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    // Another process wrote it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return localTokenKey(stateDir);
    throw error;
  }
}
