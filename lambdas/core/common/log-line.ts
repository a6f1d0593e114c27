/**
 * Where a structured log line goes (one JSON object on Lambda, text for a person locally).
 * A line names outcomes and counts: never an address, a token or a key.
 */
export type LogLine = (line: Record<string, unknown>) => void;
