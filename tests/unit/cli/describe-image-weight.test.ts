import { describe, expect, it } from 'vitest';
import { describeImageWeight, formatBytes } from '#cli/send-dry-run.ts';

describe('describeImageWeight', () => {
  it('says what the stored photos weigh and how many are hosted elsewhere', () => {
    const lines = describeImageWeight({
      count: 9,
      measured: 7,
      bytes: 1_234_567,
      unmeasured: 2,
      missing: 0,
    });

    expect(lines).toEqual([
      '9 images: 1.2 MB to load for the 7 stored, 2 hosted elsewhere (not measured).',
    ]);
  });

  it('warns of stored photos that are not there', () => {
    const lines = describeImageWeight({
      count: 2,
      measured: 1,
      bytes: 830,
      unmeasured: 0,
      missing: 1,
    });

    expect(lines).toEqual([
      '2 images: 830 B to load for the 1 stored.',
      'Warning: 1 image under the media address is not stored and will show broken: import its article again.',
    ]);
  });

  it('rounds bytes as people read them', () => {
    expect([formatBytes(999), formatBytes(412_400), formatBytes(1_250_000)]).toEqual([
      '999 B',
      '412 kB',
      '1.3 MB',
    ]);
  });
});
