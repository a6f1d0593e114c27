/**
 * The minute (UTC, `yyyy-mm-ddTHH:MM`) of a time given in ISO 8601: where an event is counted
 * in an issue's timeline (`SendLedger.eventTimeline`), whatever the offset it was written with.
 * @throws RangeError when `at` is not a time
 */
export function eventMinute(at: string): string {
  const time = Date.parse(at);
  if (Number.isNaN(time)) throw new RangeError(`not a time: ${JSON.stringify(at)}`);
  return new Date(time).toISOString().slice(0, 16);
}
