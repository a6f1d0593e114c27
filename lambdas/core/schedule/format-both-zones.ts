import { localClock, localDate, localIso } from './local-iso.ts';
import { localTimeOf } from './local-time.ts';

/** One instant in UTC and in the schedule's time zone, for JSON. */
export interface BothZones {
  /** ISO 8601 in UTC: `2027-04-06T07:00:00.000Z`. */
  at: string;
  /** ISO 8601 with the zone's offset then: `2027-04-06T09:00:00+02:00`. */
  atLocal: string;
}

/**
 * The instant as both UTC and the schedule's time zone show it, so that a reader (or a
 * script) need not work out the offset, which changes with daylight saving time.
 */
export function formatBothZones(date: Date, timeZone: string): BothZones {
  return { at: date.toISOString(), atLocal: localIso(date, timeZone) };
}

/**
 * The instant for a person: `2027-04-06 09:00 Europe/Paris (07:00 UTC)`, with the UTC date
 * too when it differs (`2027-04-06 00:30 Europe/Paris (2027-04-05 22:30 UTC)`), and once only
 * when the zone is UTC. Seconds show when they are not zero.
 */
export function describeBothZones(date: Date, timeZone: string): string {
  const local = localTimeOf(date, timeZone);
  const utc = localTimeOf(date, 'UTC');
  const here = `${localDate(local)} ${localClock(local)}`;
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return `${here} UTC`;
  const sameDate = localDate(local) === localDate(utc);
  const there = sameDate ? localClock(utc) : `${localDate(utc)} ${localClock(utc)}`;
  return `${here} ${timeZone} (${there} UTC)`;
}
