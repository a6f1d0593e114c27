/**
 * A wall-clock reading in some time zone, without the zone: what a clock on the wall there
 * shows. Months and days count from 1.
 */
export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone: making one costs far more than using it. */
function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * What the clocks of `timeZone` show at `date` (to the second), from the time zone database
 * that `Intl` carries.
 * @throws RangeError for a time zone that `Intl` does not know
 */
export function localTimeOf(date: Date, timeZone: string): LocalTime {
  const parts: Record<string, number> = {};
  for (const part of formatterOf(timeZone).formatToParts(date)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** The local time read as if it were UTC, in milliseconds: the arithmetic of wall clocks. */
export function wallClockMs(local: LocalTime): number {
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
}

/** Minutes that `timeZone` is ahead of UTC at `date` (+120 for Paris in summer). */
export function offsetMinutesAt(date: Date, timeZone: string): number {
  const whole = Math.floor(date.getTime() / 1000) * 1000;
  return Math.round((wallClockMs(localTimeOf(date, timeZone)) - whole) / 60_000);
}

const DAY_MS = 86_400_000;

/**
 * Every instant at which the clocks of `timeZone` show `local`, earliest first: one on an
 * ordinary day, none for a time that a change of offset skips (clocks going forward), two for
 * a time that it repeats (clocks going back). The offsets tried are those a day either side,
 * which covers every change the time zone database knows of.
 */
export function instantsOfLocalTime(local: LocalTime, timeZone: string): Date[] {
  const wall = wallClockMs(local);
  const offsets = new Set(
    [wall - DAY_MS, wall, wall + DAY_MS].map((ms) => offsetMinutesAt(new Date(ms), timeZone)),
  );
  const instants = [...offsets]
    .map((offset) => new Date(wall - offset * 60_000))
    .filter((instant) => wallClockMs(localTimeOf(instant, timeZone)) === wall);
  return [...new Set(instants.map((instant) => instant.getTime()))]
    .sort((a, b) => a - b)
    .map((ms) => new Date(ms));
}
