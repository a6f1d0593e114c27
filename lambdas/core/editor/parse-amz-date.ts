/**
 * The time of an `X-Amz-Date` (`20150830T123600Z`, ISO 8601 basic, UTC), or undefined when
 * it is not one: another format, or a day or time that does not exist (31 February).
 */
export function parseAmzDate(value: string): Date | undefined {
  const match = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match;
  const date = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}Z`);
  if (Number.isNaN(date.getTime())) return undefined;
  // Written back, a day that does not exist would be another (or none): it must read the same.
  const again = date.toISOString().replace(/[-:]|\.\d{3}/g, '');
  return again === value ? date : undefined;
}
