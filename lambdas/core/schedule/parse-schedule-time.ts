import { formatOffset, localClock, localDate, localIso } from './local-iso.ts';
import {
  instantsOfLocalTime,
  type LocalTime,
  localTimeOf,
  offsetMinutesAt,
  wallClockMs,
} from './local-time.ts';
import { ScheduleTimeParseError } from './schedule-time-parse-error.ts';

/** `2027-04-06T09:00`, seconds and a fraction optional, then `Z`, an offset, or nothing. */
const isoPattern =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

const DAY_MS = 86_400_000;

/**
 * The instant an editor means by `text`, an ISO 8601 date and time (`2027-04-06T09:00`, a
 * space for the `T` will do). With `Z` or an offset (`+02:00`) it is that instant; without,
 * it is read in `timeZone`, the schedule's, as the clocks there show it. A local time that a
 * daylight saving change skips or repeats names no single instant: it is refused, and the
 * error names the two instants the editor may have meant.
 * @throws ScheduleTimeParseError naming what is wrong
 */
export function parseScheduleTime(text: string, timeZone: string): Date {
  const match = isoPattern.exec(text.trim());
  if (!match) {
    throw new ScheduleTimeParseError(
      `"${text}" is not a date and time in ISO 8601 form, such as 2027-04-06T09:00 ` +
        `(read in ${timeZone}) or 2027-04-06T09:00+02:00`,
    );
  }
  const [, year, month, day, hour, minute, second, fraction, offset] = match;
  const local: LocalTime = {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour),
    minute: Number(minute),
    second: Number(second ?? 0),
  };
  assertRealTime(text, local);
  const ms = Number((fraction ?? '').padEnd(3, '0').slice(0, 3));
  if (offset !== undefined) {
    return new Date(wallClockMs(local) + ms - offsetOf(text, offset) * 60_000);
  }
  const instants = instantsOfLocalTime(local, timeZone);
  const [only] = instants;
  if (instants.length === 1 && only) return new Date(only.getTime() + ms);
  const named = `${localDate(local)} ${localClock(local)}`;
  if (instants.length === 0) throw skipped(named, local, timeZone);
  throw repeated(named, instants, timeZone);
}

/** Refuses a month, day or time of day that no calendar has (2027-02-30, 24:10). */
function assertRealTime(text: string, local: LocalTime): void {
  const date = new Date(wallClockMs(local));
  const real =
    local.month >= 1 &&
    local.month <= 12 &&
    date.getUTCDate() === local.day &&
    local.hour <= 23 &&
    local.minute <= 59 &&
    local.second <= 59;
  if (!real) throw new ScheduleTimeParseError(`"${text}" is not a real date and time`);
}

/** Minutes ahead of UTC that `Z`, `+02:00`, `+0200` or `+02` says. */
function offsetOf(text: string, offset: string): number {
  if (offset.toUpperCase() === 'Z') return 0;
  const digits = offset.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || '0');
  if (hours > 23 || minutes > 59) {
    throw new ScheduleTimeParseError(`"${text}" has an offset from UTC that cannot be: ${offset}`);
  }
  return (offset.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

/**
 * The error for a local time inside the gap of clocks going forward, naming the last minute
 * before the change and the first instant after it.
 */
function skipped(named: string, local: LocalTime, timeZone: string): ScheduleTimeParseError {
  const wall = wallClockMs(local);
  const before = offsetMinutesAt(new Date(wall - DAY_MS), timeZone);
  const after = offsetMinutesAt(new Date(wall + DAY_MS), timeZone);
  // The change is between the local time read with the later offset and with the earlier one.
  let lo = wall - after * 60_000;
  let hi = wall - before * 60_000;
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (offsetMinutesAt(new Date(mid), timeZone) === before) lo = mid;
    else hi = mid;
  }
  const change = new Date(hi);
  const lastBefore = new Date(hi - 60_000);
  const from = localClock(localTimeOf(new Date(hi + before * 60_000), 'UTC'));
  const to = localClock(localTimeOf(change, timeZone));
  return new ScheduleTimeParseError(
    `${named} does not exist in ${timeZone}: the clocks go forward from ${from} to ${to} ` +
      `(UTC${formatOffset(before)} to UTC${formatOffset(after)}) that day. The last minute ` +
      `before the change is ${localIso(lastBefore, timeZone)} (${utcClock(lastBefore, timeZone)}), ` +
      `the first instant after it ${localIso(change, timeZone)} (${utcClock(change, timeZone)}): ` +
      'give one of those, or another time',
    [lastBefore, change],
  );
}

/** The error for a local time that clocks going back show twice, naming both instants. */
function repeated(named: string, instants: Date[], timeZone: string): ScheduleTimeParseError {
  const readings = instants.map(
    (instant) => `${localIso(instant, timeZone)} (${utcClock(instant, timeZone)})`,
  );
  return new ScheduleTimeParseError(
    `${named} happens twice in ${timeZone}, the clocks going back that day: ` +
      `${readings.join(' or ')}; give the one you mean with its offset`,
    instants,
  );
}

/** The instant's UTC time, with the UTC date when it is not the local one (`14:00 UTC`). */
function utcClock(date: Date, timeZone: string): string {
  const utc = localTimeOf(date, 'UTC');
  const sameDate = localDate(utc) === localDate(localTimeOf(date, timeZone));
  return `${sameDate ? '' : `${localDate(utc)} `}${localClock(utc)} UTC`;
}
