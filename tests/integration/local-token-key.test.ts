import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localHashKey } from '#cli/token-key.ts';
import { freshHome } from './support/run-cli.ts';

describe('localHashKey', () => {
  it('keeps the key it made for the next call, readable by its owner alone', async () => {
    const stateDir = await freshHome();

    const first = await localHashKey(stateDir);
    const again = await localHashKey(stateDir);

    expect(first).toHaveLength(32);
    expect(Buffer.from(again).equals(Buffer.from(first))).toBe(true);
    expect((await stat(join(stateDir, 'token.key'))).mode & 0o777).toBe(0o600);
  });

  // The local runtime's handlers start at once on a fresh state folder: none may read the key
  // file before it is written in full (an empty key), nor keep a key of its own.
  it('gives every caller at once the same full key', async () => {
    const stateDir = await freshHome();

    const keys = await Promise.all(Array.from({ length: 20 }, () => localHashKey(stateDir)));

    const distinct = new Set(keys.map((key) => Buffer.from(key).toString('hex')));
    expect(distinct.size).toBe(1);
    expect(keys[0]).toHaveLength(32);
  });
});
