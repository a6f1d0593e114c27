import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scaleToColumn } from '#core/media/scale-to-column.ts';

describe('scaleToColumn', () => {
  it('shows a 1200 px image at the 600 px column, half its size', () => {
    expect(scaleToColumn({ width: 1200, height: 800 }, 600)).toEqual({ width: 600, height: 400 });
    expect(scaleToColumn({ width: 1200, height: 1600 }, 600)).toEqual({ width: 600, height: 800 });
  });

  it('rounds the height to the nearest whole pixel', () => {
    // 600 × 1000/1199 = 500.42 and 600 × 1001/1199 = 500.92
    expect(scaleToColumn({ width: 1199, height: 1000 }, 600).height).toBe(500);
    expect(scaleToColumn({ width: 1199, height: 1001 }, 600).height).toBe(501);
  });

  it('never enlarges an image narrower than the column', () => {
    expect(scaleToColumn({ width: 320, height: 240 }, 600)).toEqual({ width: 320, height: 240 });
    expect(scaleToColumn({ width: 600, height: 10 }, 600)).toEqual({ width: 600, height: 10 });
  });

  it('keeps a very wide image at least 1 px high', () => {
    expect(scaleToColumn({ width: 12_000, height: 1 }, 600)).toEqual({ width: 600, height: 1 });
  });

  it('refuses sizes that are not positive whole pixels', () => {
    expect(() => scaleToColumn({ width: 0, height: 10 }, 600)).toThrow(RangeError);
    expect(() => scaleToColumn({ width: 10, height: 10.5 }, 600)).toThrow(RangeError);
    expect(() => scaleToColumn({ width: 10, height: 10 }, 0)).toThrow(RangeError);
  });

  it('fits the column and keeps the aspect ratio to within rounding', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12_000 }),
        fc.integer({ min: 1, max: 12_000 }),
        fc.integer({ min: 1, max: 2_000 }),
        (width, height, column) => {
          const shown = scaleToColumn({ width, height }, column);
          expect(shown.width).toBe(Math.min(width, column));
          expect(shown.height).toBeGreaterThanOrEqual(1);
          expect(shown.height).toBeLessThanOrEqual(height);
          // Rounding moves the height by at most half a pixel (or up to the 1 px floor).
          const exact = (height * shown.width) / width;
          expect(Math.abs(shown.height - Math.max(1, exact))).toBeLessThanOrEqual(0.5);
        },
      ),
    );
  });
});
