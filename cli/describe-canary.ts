import { formatCount } from '#core/common/format-count.ts';
import type { IssueCanary } from '#core/issues/ports.ts';
import { describeBothZones } from '#core/schedule/format-both-zones.ts';

/**
 * An issue's canary in a sentence, for people (`issues show`, the command following a send):
 * how many of the issue's `recipients` it goes to, and until when the others wait, or when it
 * ended, in the schedule's time zone and in UTC.
 */
export function describeCanary(canary: IssueCanary, recipients: number, timeZone: string): string {
  const when = (iso: string) => describeBothZones(new Date(iso), timeZone);
  const share =
    canary.recipients === undefined
      ? `${canary.percent} % of the recipients first`
      : `${formatCount(canary.recipients)} of ${formatCount(recipients)} recipients first`;
  if (canary.endedAt !== undefined) return `Canary: ${share}; over at ${when(canary.endedAt)}.`;
  if (canary.until !== undefined) return `Canary: ${share}; the rest from ${when(canary.until)}.`;
  return `Canary: ${share}, picked once the list is prepared.`;
}
