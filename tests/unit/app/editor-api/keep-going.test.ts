import { describe, expect, it } from 'vitest';
import { keepGoing } from '#app/editor-api/keep-going.ts';

describe('keepGoing', () => {
  it('logs work that fails after the answer, without the address its error quotes', async () => {
    const lines: Record<string, unknown>[] = [];
    const failing = Promise.reject(new Error('the ledger refused reader@example.com'));

    keepGoing((line) => lines.push(line))('marking records', failing);
    await failing.catch(() => undefined);
    await Promise.resolve();

    expect(lines).toEqual([
      {
        level: 'error',
        message: 'editor api: marking records failed after the answer',
        error: 'Error: the ledger refused [address]',
      },
    ]);
  });
});
