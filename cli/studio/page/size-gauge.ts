import type { HtmlSize } from '#core/checks/html-size.ts';

/** The figures of the size gauge: the HTML's bytes against the budget and Gmail's clip. */
export interface SizeGauge extends HtmlSize {
  /** `within` the budget, `over-budget` (still under the clip), or `clipped` by Gmail. */
  state: 'within' | 'over-budget' | 'clipped';
  /** The gauge's full scale: the clip, or the size when larger (so the bar never overflows). */
  scale: number;
  /** Positions on the scale, in percent (0–100). */
  bytesPercent: number;
  budgetPercent: number;
  clipPercent: number;
}

/**
 * The gauge's figures for a preview answer's `size` (`htmlSize`: the HTML's bytes,
 * `htmlBudgetBytes` and Gmail's clip).
 */
export function sizeGauge(size: HtmlSize): SizeGauge {
  const { bytes, budget, gmailClip } = size;
  const scale = Math.max(gmailClip, bytes);
  const percent = (value: number) => Math.round((value / scale) * 1000) / 10;
  return {
    bytes,
    budget,
    gmailClip,
    state: bytes > gmailClip ? 'clipped' : bytes > budget ? 'over-budget' : 'within',
    scale,
    bytesPercent: percent(bytes),
    budgetPercent: percent(budget),
    clipPercent: percent(gmailClip),
  };
}

/** 92160 → `90.0 KB` (1 KB = 1,024 bytes, as Gmail's 102 KB clip is counted). */
export function kilobytes(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}
