import { describe, expect, it } from 'vitest';
import { figuresOfSizeCheck, kilobytes, sizeGauge } from '#cli/studio/page/size-gauge.ts';
import { checkSize } from '#core/checks/check-size.ts';
import { gmailClipBytes, htmlSize } from '#core/checks/html-size.ts';

const budget = 92_160;

/** The checks of a preview of `bytes` bytes, with the size check as the core writes it. */
function checksOf(bytes: number) {
  return [
    { rule: 'image-alt', severity: 'warning' as const, message: 'An image has no alt text.' },
    checkSize('x'.repeat(bytes), { htmlBudgetBytes: budget }),
  ];
}

describe('sizeGauge', () => {
  it('takes the budget and the clip from the size check when the answer has no size, for each of its three messages', () => {
    for (const bytes of [50_000, 95_000, 110_000]) {
      const gauge = sizeGauge({ bytes, checks: checksOf(bytes) });

      expect(gauge).toMatchObject({
        bytes,
        budget,
        gmailClip: gmailClipBytes,
        budgetSource: 'size-check',
      });
    }
  });

  it('says within, over the budget, or clipped', () => {
    const states = [50_000, budget, budget + 1, gmailClipBytes, gmailClipBytes + 1].map(
      (bytes) => sizeGauge({ bytes, checks: checksOf(bytes) }).state,
    );

    expect(states).toEqual(['within', 'within', 'over-budget', 'over-budget', 'clipped']);
  });

  it('places the size, the budget and the clip on a scale of the clip, or of the size when it is larger', () => {
    const small = sizeGauge({ bytes: 51_200, checks: checksOf(51_200) });
    const large = sizeGauge({ bytes: 204_800, checks: checksOf(204_800) });

    expect(small).toMatchObject({
      scale: gmailClipBytes,
      bytesPercent: 50,
      budgetPercent: 90,
      clipPercent: 100,
    });
    expect(large).toMatchObject({
      scale: 204_800,
      bytesPercent: 100,
      budgetPercent: 45,
      clipPercent: 50,
    });
  });

  it("prefers the answer's htmlSize figures when it gives them", () => {
    const gauge = sizeGauge({
      bytes: 1000,
      size: htmlSize('x'.repeat(1000), 2000),
      checks: checksOf(1000),
    });

    expect(gauge).toMatchObject({ budget: 2000, budgetSource: 'answer', budgetPercent: 2 });
  });

  it('leaves the budget unknown, and the clip at Gmail’s, when neither the answer nor a size check states them', () => {
    const gauge = sizeGauge({ bytes: 1000, checks: [] });

    expect(gauge).toMatchObject({
      budget: undefined,
      budgetSource: 'unknown',
      gmailClip: gmailClipBytes,
      budgetPercent: undefined,
      state: 'within',
    });
  });
});

describe('figuresOfSizeCheck', () => {
  it('reads numbers written with thousands separators', () => {
    expect(figuresOfSizeCheck(checksOf(1000))).toEqual({ budget, gmailClip: gmailClipBytes });
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
