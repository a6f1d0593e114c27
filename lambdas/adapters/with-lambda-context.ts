import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';

/**
 * A Lambda entry point that first gives `logger` the invocation's context, so that every line
 * it logs during the invocation carries the request id (`function_request_id`), the function's
 * name and whether the container was cold. Lambda runs one invocation at a time per container:
 * each invocation replaces the last one's context.
 */
export function withLambdaContext<H extends (event: never, context?: never) => unknown>(
  logger: Pick<Logger, 'addContext'>,
  handler: H,
): H {
  const run = handler as unknown as (event: unknown, context?: unknown) => unknown;
  return ((event: unknown, context?: unknown) => {
    if (isLambdaContext(context)) logger.addContext(context);
    return run(event, context);
  }) as unknown as H;
}

function isLambdaContext(context: unknown): context is Context {
  return (
    typeof context === 'object' &&
    context !== null &&
    typeof (context as Partial<Context>).awsRequestId === 'string'
  );
}
