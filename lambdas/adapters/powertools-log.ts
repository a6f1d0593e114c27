import type { Logger } from '@aws-lambda-powertools/logger';
import type { LogLine } from '#core/common/log-line.ts';

/** The levels a line may ask for in its `level` field. */
const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
type Level = (typeof LEVELS)[number];

/**
 * A function's log on Lambda: each line through Powertools' `logger`, which writes one JSON
 * object to stdout (its own console, not Lambda's: with the JSON log format the object is
 * the log event itself). The line's `message` stays `message`, and its other fields sit at
 * the top level beside Powertools' own (`level`, `timestamp`, `service`, and once
 * `withLambdaContext` added the invocation's context, `function_request_id` and the
 * function's name), where a metric filter reads them (`$.metric`, `$.rate`). The level is the
 * line's `level` (`warn`, `error`), else `error` for a line that carries an `error`, else
 * `info`. Lines name ids and counts, never an address: nothing here adds one.
 */
export function powertoolsLog(logger: Logger): LogLine {
  return (line) => {
    const { message, level, ...attributes } = line;
    const text = typeof message === 'string' ? message : (JSON.stringify(message) ?? '');
    logger[levelOf(level, attributes)](text, attributes);
  };
}

function levelOf(level: unknown, attributes: Record<string, unknown>): Level {
  const asked = typeof level === 'string' ? level.toLowerCase() : undefined;
  if (LEVELS.includes(asked as Level)) return asked as Level;
  return attributes.error === undefined ? 'info' : 'error';
}
