import type { IssueTimeline } from './api-types.ts';

/** The series the issue chart draws, aligned on `x` (Unix seconds, one per minute). */
export interface ChartSeries {
  x: number[];
  delivered: number[];
  bounced: number[];
  complained: number[];
  /** Present when the timeline's minutes count `sent`. */
  sent?: number[];
}

/**
 * Gaps between minutes are filled with zeros (a minute without events is a real zero) up to
 * this many minutes, two days; a longer timeline keeps only the minutes it has.
 */
export const MAX_FILLED_MINUTES = 2 * 24 * 60;

/**
 * The chart's series from `GET /api/issues/:id/timeline`: delivered, bounced (permanent
 * bounces: the addresses that will never receive) and complained per minute, and sent when
 * the minutes count it. Minutes are `yyyy-mm-ddTHH:MM`, UTC.
 */
export function chartSeries(timeline: IssueTimeline): ChartSeries {
  const minutes = timeline.minutes
    .map((entry) => ({ at: Date.parse(`${entry.minute}:00Z`) / 1000, counts: entry.counts }))
    .filter((entry) => Number.isFinite(entry.at))
    .sort((a, b) => a.at - b.at);
  const first = minutes[0]?.at;
  const last = minutes.at(-1)?.at;
  let times = minutes.map((entry) => entry.at);
  if (first !== undefined && last !== undefined && (last - first) / 60 <= MAX_FILLED_MINUTES) {
    times = Array.from({ length: (last - first) / 60 + 1 }, (_, index) => first + index * 60);
  }
  const byTime = new Map(minutes.map((entry) => [entry.at, entry.counts]));
  const series = (name: string) => times.map((at) => byTime.get(at)?.[name] ?? 0);
  const hasSent = minutes.some((entry) => typeof entry.counts.sent === 'number');
  return {
    x: times,
    delivered: series('delivered'),
    bounced: series('bouncedPermanent'),
    complained: series('complained'),
    ...(hasSent ? { sent: series('sent') } : {}),
  };
}
