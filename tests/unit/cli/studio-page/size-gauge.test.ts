import { describe, expect, it } from 'vitest';
import { kilobytes, sizeGauge } from '#cli/studio/page/size-gauge.ts';
import { gmailClipBytes, htmlSize } from '#core/checks/html-size.ts';

const budget = 92_160;

/** `htmlSize`'s figures for an HTML of `bytes` ASCII bytes, as the preview answer gives them. */
function sizeOf(bytes: number) {
  return htmlSize('x'.repeat(bytes), budget);
}

describe('sizeGauge', () => {
  it('keeps the answer’s bytes, budget and clip', () => {
    expect(sizeGauge(sizeOf(50_000))).toMatchObject({
      bytes: 50_000,
      budget,
      gmailClip: gmailClipBytes,
    });
  });

  it('says within, over the budget, or clipped', () => {
    const states = [50_000, budget, budget + 1, gmailClipBytes, gmailClipBytes + 1].map(
      (bytes) => sizeGauge(sizeOf(bytes)).state,
    );

    expect(states).toEqual(['within', 'within', 'over-budget', 'over-budget', 'clipped']);
  });

  it('places the size, the budget and the clip on a scale of the clip, or of the size when it is larger', () => {
    expect(sizeGauge(sizeOf(51_200))).toMatchObject({
      scale: gmailClipBytes,
      bytesPercent: 50,
      budgetPercent: 90,
      clipPercent: 100,
    });
    expect(sizeGauge(sizeOf(204_800))).toMatchObject({
      scale: 204_800,
      bytesPercent: 100,
      budgetPercent: 45,
      clipPercent: 50,
    });
  });
});

describe('kilobytes', () => {
  it('counts 1,024 bytes a kilobyte, with one decimal', () => {
    expect([kilobytes(budget), kilobytes(gmailClipBytes), kilobytes(1536)]).toEqual([
      '90.0 KB',
      '100.0 KB',
      '1.5 KB',
    ]);
  });
});
