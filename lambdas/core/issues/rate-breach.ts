import type { Config } from '../common/config.ts';

/** Messages an issue must have sent before its complaint rate may pause it. */
export const COMPLAINT_MIN_SENT = 1000;

/** An issue's counts that its rates are measured from: sent, bounced for good, complained. */
export interface RateCounts {
  sent: number;
  bouncedPermanent: number;
  complained: number;
}

/** The thresholds of the automatic pause. */
export type RateThresholds = Pick<
  Config,
  'pauseMinOutcomes' | 'pauseBounceRate' | 'pauseComplaintRate'
>;

/**
 * Why an issue must pause itself, or undefined when it may go on. Counts are taken since
 * `baseline` (the counts at its last resume; none: since it started), so a resumed
 * issue is judged afresh on what it sent after. The bounce rate (permanent bounces ÷ sent)
 * is judged once `pauseMinOutcomes` were sent, the complaint rate (complaints ÷ sent) once
 * {@link COMPLAINT_MIN_SENT} were; a rate above its threshold pauses the issue.
 * @returns e.g. "bounce rate 6.1 % after 412 sent"
 */
export function rateBreach(
  now: RateCounts,
  thresholds: RateThresholds,
  baseline?: RateCounts,
): string | undefined {
  const sent = now.sent - (baseline?.sent ?? 0);
  const bounced = now.bouncedPermanent - (baseline?.bouncedPermanent ?? 0);
  const complained = now.complained - (baseline?.complained ?? 0);
  if (sent >= thresholds.pauseMinOutcomes && bounced / sent > thresholds.pauseBounceRate) {
    return `bounce rate ${percent(bounced / sent)} after ${count(sent)} sent`;
  }
  if (sent >= COMPLAINT_MIN_SENT && complained / sent > thresholds.pauseComplaintRate) {
    return `complaint rate ${percent(complained / sent)} after ${count(sent)} sent`;
  }
  return undefined;
}

/** 0.061 → "6.1 %", 0.0015 → "0.15 %". */
function percent(rate: number): string {
  const value = rate * 100;
  return `${value.toFixed(value >= 1 ? 1 : 2)} %`;
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}
