import type { Check } from '#core/checks/check.ts';
import { gmailClipBytes, type HtmlSize } from '#core/checks/html-size.ts';

/** Where the gauge's budget came from. */
export type BudgetSource = 'answer' | 'size-check' | 'unknown';

/** The figures of the size gauge: the HTML's bytes against the budget and Gmail's clip. */
export interface SizeGauge {
  bytes: number;
  /** `htmlBudgetBytes`; undefined when neither the answer nor its checks say it. */
  budget: number | undefined;
  budgetSource: BudgetSource;
  gmailClip: number;
  /** `within` the budget, `over-budget` (still under the clip), or `clipped` by Gmail. */
  state: 'within' | 'over-budget' | 'clipped';
  /** The gauge's full scale: the clip, or the size when larger (so the bar never overflows). */
  scale: number;
  /** Positions on the scale, in percent (0–100). */
  bytesPercent: number;
  budgetPercent: number | undefined;
  clipPercent: number;
}

/** What the gauge reads from a preview answer. */
export interface SizeSource {
  bytes: number;
  /** `htmlSize`'s figures, when the answer carries them. */
  size?: HtmlSize;
  checks: readonly Check[];
}

/**
 * The gauge's figures for a preview. The preview answer gives `bytes`; the budget and the clip
 * come from its `size` (`htmlSize`) when it has one, else from the message of its `size`
 * check, which states both (`check-size.ts`: "the budget of 92,160 bytes", "Gmail clips at
 * 102,400"); the clip defaults to `gmailClipBytes`, the budget to unknown.
 */
export function sizeGauge(source: SizeSource): SizeGauge {
  const fromCheck = source.size ? undefined : figuresOfSizeCheck(source.checks);
  const budget = source.size?.budget ?? fromCheck?.budget;
  const gmailClip = source.size?.gmailClip ?? fromCheck?.gmailClip ?? gmailClipBytes;
  const { bytes } = source;
  const scale = Math.max(gmailClip, bytes);
  const percent = (value: number) => Math.round((value / scale) * 1000) / 10;
  return {
    bytes,
    budget,
    budgetSource: source.size ? 'answer' : budget === undefined ? 'unknown' : 'size-check',
    gmailClip,
    state:
      bytes > gmailClip
        ? 'clipped'
        : budget !== undefined && bytes > budget
          ? 'over-budget'
          : 'within',
    scale,
    bytesPercent: percent(bytes),
    budgetPercent: budget === undefined ? undefined : percent(budget),
    clipPercent: percent(gmailClip),
  };
}

/** The budget and clip the `size` check's message states, as far as it states them. */
export function figuresOfSizeCheck(checks: readonly Check[]): {
  budget?: number;
  gmailClip?: number;
} {
  const message = checks.find((check) => check.rule === 'size')?.message ?? '';
  const budget = /budget (?:of|is) ([\d,]+)/.exec(message)?.[1];
  const clip = /(?:clips at|clip at) ([\d,]+)/.exec(message)?.[1];
  return {
    ...(budget === undefined ? {} : { budget: Number(budget.replaceAll(',', '')) }),
    ...(clip === undefined ? {} : { gmailClip: Number(clip.replaceAll(',', '')) }),
  };
}

/** 92160 → `90.0 KB` (1 KB = 1,024 bytes, as Gmail's 102 KB clip is counted). */
export function kilobytes(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}
