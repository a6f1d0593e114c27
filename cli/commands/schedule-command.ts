import type { Command } from 'commander';
import type { Issue } from '#core/issues/ports.ts';
import { describeBothZones, formatBothZones } from '#core/schedule/format-both-zones.ts';
import { parseScheduleExpression } from '#core/schedule/parse-schedule-expression.ts';
import { scheduleRuns } from '#core/schedule/schedule-runs.ts';
import type { CommandContext } from '../command-context.ts';
import { stores } from '../issue-deps.ts';
import { readScheduleRecord } from '../local/schedule-record.ts';

/** How many runs of the recurring schedule the command shows. */
const RUNS_SHOWN = 5;

/** One time at which an issue may go out, as `schedule --json` prints it. */
export interface ScheduleEntry {
  /** ISO 8601 in UTC. */
  at: string;
  /** ISO 8601 in `scheduleTimeZone`, with its offset then. */
  atLocal: string;
  /** A run of `scheduleExpression`, or an issue scheduled for that time. */
  kind: 'recurring' | 'issue';
  issueId?: string;
}

/** `newsletter schedule [--json]` */
export function scheduleCommand(program: Command, context: CommandContext): void {
  program
    .command('schedule')
    .description(
      `when issues go out: the next ${RUNS_SHOWN} runs of scheduleExpression and the ` +
        'scheduled issues, in time order, in scheduleTimeZone and in UTC',
    )
    .option('--json', 'print the list as JSON: [{ at, atLocal, kind, issueId? }]')
    .action(async (options: { json?: boolean }) => {
      const out = context.output(options.json);
      if (context.targetsAws) {
        const entries = await context.editorApi().json<ScheduleEntry[]>('GET', '/schedule');
        out.info("The deployed stack's schedule (its scheduleExpression and scheduleTimeZone):");
        if (entries.length === 0) out.info('  the schedule has no run left');
        for (const entry of entries) {
          const what = entry.kind === 'recurring' ? 'recurring run' : `issue ${entry.issueId}`;
          out.info(`  ${entry.atLocal} (${entry.at})  ${what}`);
        }
        out.result(entries);
        return;
      }
      const config = await context.config();
      const { scheduleExpression: expression, scheduleTimeZone: timeZone } = config;
      const now = new Date();
      const rate = parseScheduleExpression(expression).kind === 'rate';
      const anchor = rate ? await localAnchor(context, expression, timeZone) : undefined;
      const runs = scheduleRuns(expression, timeZone, now, RUNS_SHOWN, anchor ? { anchor } : {});
      const issues = await context.withServices(async () => stores().issues.list());
      const { entries, undated } = scheduleEntries(runs, issues, timeZone);

      out.info(`Schedule ${expression} in ${timeZone}${rateNote(rate, anchor)}:`);
      if (runs.length === 0) out.info('  the schedule has no run left');
      for (const entry of entries) {
        const when = `${weekday(entry.date, timeZone)} ${describeBothZones(entry.date, timeZone)}`;
        const what =
          entry.kind === 'recurring'
            ? 'recurring run'
            : `issue ${entry.issueId} "${entry.subject}"${entry.date < now ? ' (due now)' : ''}`;
        out.info(`  ${when}  ${what}`);
      }
      for (const issue of undated) {
        out.info(`Issue ${issue.issueId} is scheduled but names no valid time (scheduledAt).`);
      }
      out.result(
        entries.map(({ at, atLocal, kind, issueId }) =>
          kind === 'issue' ? { at, atLocal, kind, issueId } : { at, atLocal, kind },
        ),
      );
    });
}

/** An entry with its instant, and the issue's subject for people. */
export type DatedEntry = ScheduleEntry & { date: Date; subject?: string };

/**
 * The runs and the scheduled issues (state `scheduled`, at `scheduledAt`) in time order, a
 * run before an issue at the same instant; and the scheduled issues whose time cannot be read.
 */
export function scheduleEntries(
  runs: readonly Date[],
  issues: readonly Issue[],
  timeZone: string,
): { entries: DatedEntry[]; undated: Issue[] } {
  const entries: DatedEntry[] = runs.map((date) => ({
    date,
    kind: 'recurring',
    ...formatBothZones(date, timeZone),
  }));
  const undated: Issue[] = [];
  for (const issue of issues) {
    if (issue.state !== 'scheduled') continue;
    const ms = issue.scheduledAt ? Date.parse(issue.scheduledAt) : Number.NaN;
    if (Number.isNaN(ms)) {
      undated.push(issue);
      continue;
    }
    const date = new Date(ms);
    entries.push({
      date,
      kind: 'issue',
      issueId: issue.issueId,
      subject: issue.subject,
      ...formatBothZones(date, timeZone),
    });
  }
  const rank = (entry: DatedEntry) => (entry.kind === 'recurring' ? 0 : 1);
  entries.sort((a, b) => a.date.getTime() - b.date.getTime() || rank(a) - rank(b));
  return { entries, undated };
}

/**
 * Where serve counts this rate expression from, when it has run it on this state folder; on
 * AWS (or before serve ran it) nothing is known here, and the preview counts from now.
 */
async function localAnchor(
  context: CommandContext,
  expression: string,
  timeZone: string,
): Promise<Date | undefined> {
  if (context.targetsAws) return undefined;
  const record = await readScheduleRecord(context.stateDir);
  const same = record?.expression === expression && record.timeZone === timeZone;
  return same && record ? new Date(record.anchor) : undefined;
}

function rateNote(rate: boolean, anchor: Date | undefined): string {
  if (!rate) return '';
  return anchor
    ? ` (counted from ${anchor.toISOString()}, when serve first ran it)`
    : ' (counted from now; EventBridge counts from when the schedule was created)';
}

function weekday(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { weekday: 'short', timeZone }).format(date);
}
