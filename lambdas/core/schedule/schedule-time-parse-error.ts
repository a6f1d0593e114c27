/**
 * A time that cannot name one instant: not ISO 8601, not a real date, or a local time that a
 * daylight saving change skips or repeats. The message says which, and `instants` holds the
 * instants the writer may have meant (the edges of a skipped hour, both readings of a
 * repeated one), so that a caller can offer them.
 */
export class ScheduleTimeParseError extends Error {
  override name = 'ScheduleTimeParseError';

  constructor(
    message: string,
    readonly instants: readonly Date[] = [],
  ) {
    super(message);
  }
}
