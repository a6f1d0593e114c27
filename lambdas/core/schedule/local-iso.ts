import { type LocalTime, localTimeOf, offsetMinutesAt } from './local-time.ts';

const two = (n: number) => String(n).padStart(2, '0');

/** An offset from UTC in ISO 8601 form: `+02:00`, `-05:00`, `+00:00`, `+05:45`. */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const size = Math.abs(minutes);
  return `${sign}${two(Math.floor(size / 60))}:${two(size % 60)}`;
}

/** `2027-04-06`: the date of a local time. */
export function localDate(local: LocalTime): string {
  return `${String(local.year).padStart(4, '0')}-${two(local.month)}-${two(local.day)}`;
}

/** `09:00`, or `09:00:30` when the seconds are not zero. */
export function localClock(local: LocalTime): string {
  const clock = `${two(local.hour)}:${two(local.minute)}`;
  return local.second === 0 ? clock : `${clock}:${two(local.second)}`;
}

/**
 * The instant as ISO 8601 in the time zone's own time, with the offset in force then:
 * `2027-04-06T09:00:00+02:00`. It names the same instant as `toISOString`, and says what the
 * clocks showed.
 */
export function localIso(date: Date, timeZone: string): string {
  const local = localTimeOf(date, timeZone);
  const seconds = `${two(local.hour)}:${two(local.minute)}:${two(local.second)}`;
  return `${localDate(local)}T${seconds}${formatOffset(offsetMinutesAt(date, timeZone))}`;
}
