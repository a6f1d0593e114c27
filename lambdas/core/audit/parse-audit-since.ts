const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * The `since` of an audit query (`--since`, `?since=`), as the trail compares it: an ISO 8601
 * date (`2025-03-07`, midnight UTC) or time (`2025-03-07T08:00`, UTC unless it has an offset),
 * to ISO 8601 UTC with milliseconds.
 * @throws RangeError when `text` is no such date or time
 */
export function parseAuditSince(text: string): string {
  const match = ISO_TIME.exec(text);
  const withZone = match?.[1] && !match[4] ? `${text}Z` : text;
  const time = match ? Date.parse(withZone) : Number.NaN;
  if (Number.isNaN(time)) {
    throw new RangeError(
      'since must be an ISO 8601 date or time, such as 2025-03-07 or 2025-03-07T08:00Z',
    );
  }
  return new Date(time).toISOString();
}
