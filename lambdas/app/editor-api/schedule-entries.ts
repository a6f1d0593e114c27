import type { Issue } from '#core/issues/ports.ts';
import { formatBothZones } from '#core/schedule/format-both-zones.ts';

/** One time at which an issue may go out, as `newsletter schedule --json` prints it. */
export interface ScheduleEntry {
  /** ISO 8601 in UTC. */
  at: string;
  /** ISO 8601 in `scheduleTimeZone`, with its offset then. */
  atLocal: string;
  /** A run of `scheduleExpression`, or an issue scheduled for that time. */
  kind: 'recurring' | 'issue';
  issueId?: string;
}

/**
 * The runs of the schedule and the issues scheduled (state `scheduled`, at a `scheduledAt`
 * that reads as a time) in time order, a run before an issue at the same instant: the list
 * `newsletter schedule --json` prints, built the same way (`scheduleEntries` of
 * `cli/commands/schedule-command.ts`, which the router cannot import).
 */
export function scheduleEntries(
  runs: readonly Date[],
  issues: readonly Issue[],
  timeZone: string,
): ScheduleEntry[] {
  const dated: { date: Date; entry: ScheduleEntry }[] = runs.map((date) => ({
    date,
    entry: { ...formatBothZones(date, timeZone), kind: 'recurring' },
  }));
  for (const issue of issues) {
    if (issue.state !== 'scheduled') continue;
    const ms = issue.scheduledAt ? Date.parse(issue.scheduledAt) : Number.NaN;
    if (Number.isNaN(ms)) continue;
    const date = new Date(ms);
    dated.push({
      date,
      entry: { ...formatBothZones(date, timeZone), kind: 'issue', issueId: issue.issueId },
    });
  }
  const rank = (entry: ScheduleEntry) => (entry.kind === 'recurring' ? 0 : 1);
  dated.sort((a, b) => a.date.getTime() - b.date.getTime() || rank(a.entry) - rank(b.entry));
  return dated.map(({ entry }) => entry);
}
