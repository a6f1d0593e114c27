import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { powertoolsLog } from '#adapters/powertools-log.ts';
import { withLambdaContext } from '#adapters/with-lambda-context.ts';
import { withoutAddresses } from '#core/common/without-addresses.ts';
import { pausedItself } from '#core/issues/pause-metrics.ts';
import { watchLines } from '#core/issues/watch-metrics.ts';
import { SEND_PAGE_FAILED } from '../../../infra/log-metrics.ts';
import { powertoolsOutput } from '../support/powertools-output.ts';

const ISSUE = '01JISSUE000000000000000001';

/** What Lambda hands an invocation, as far as the logger reads it. */
const context = (awsRequestId: string) =>
  ({
    awsRequestId,
    functionName: 'NewsletterStateless-Sender',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:Sender',
    memoryLimitInMB: '512',
  }) as unknown as Context;

/** A log as the functions build it, and one invocation of an entry point that logs `lines`. */
function invocation(requestId: string, lines: Record<string, unknown>[]) {
  const logger = new Logger({ serviceName: 'newsletter' });
  const log = powertoolsLog(logger);
  const handler = withLambdaContext(logger, (_event: unknown, _context?: Context) => {
    for (const line of lines) log(line);
  });
  return powertoolsOutput(() => handler({}, context(requestId)));
}

describe('the functions’ log on Lambda (Powertools)', () => {
  it('writes each line as one JSON object: its message, its fields at the top level, and the request id', () => {
    const output = invocation('req-1', [
      { message: 'page sent', issueId: ISSUE, recipients: 2, sent: 2, retry: false },
    ]);

    expect(output.stderr).toEqual([]);
    expect(output.stdout).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'page sent',
        service: 'newsletter',
        function_request_id: 'req-1',
        function_name: 'NewsletterStateless-Sender',
        cold_start: expect.any(Boolean),
        timestamp: expect.any(String),
        issueId: ISSUE,
        recipients: 2,
        sent: 2,
        retry: false,
      }),
    ]);
  });

  it('gives each invocation its own request id', () => {
    const logger = new Logger({ serviceName: 'newsletter' });
    const log = powertoolsLog(logger);
    const handler = withLambdaContext(logger, (_event: unknown, _context?: Context) =>
      log({ message: 'event applied' }),
    );

    const first = powertoolsOutput(() => handler({}, context('req-1')));
    const second = powertoolsOutput(() => handler({}, context('req-2')));

    expect(first.stdout[0]?.function_request_id).toBe('req-1');
    expect(second.stdout[0]?.function_request_id).toBe('req-2');
  });

  it('logs a line that carries an error at error level, and a line that asks for warn at warn', () => {
    const failed = {
      message: 'page failed',
      messageId: 'm1',
      error: withoutAddresses('Error: SES refused reader@example.com'),
    };
    const output = invocation('req-3', [
      failed,
      { level: 'warn', message: 'the schedule sent nothing', metric: 'ScheduleSentNothing' },
    ]);

    expect(output.stdout).toEqual([]);
    expect(output.stderr).toEqual([
      expect.objectContaining({ level: 'ERROR', message: 'page failed', messageId: 'm1' }),
      expect.objectContaining({ level: 'WARN', metric: 'ScheduleSentNothing' }),
    ]);
    // Powertools' own `level` only: the line's was read, not passed on as a field to drop.
    expect(output.text).not.toContain('reserved key');
    // The alarm's filter matches the failed page's words in the log event.
    expect(SEND_PAGE_FAILED.terms.some((term) => output.text.includes(term))).toBe(true);
    // Never an address: the handlers strip them, and nothing here adds one.
    expect(output.text).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
  });

  it('puts the fields that metric filters read where they read them', () => {
    const [rate] = watchLines({ kind: 'settled', issueId: ISSUE, rate: 20 });
    const output = invocation('req-4', [rate ?? {}, pausedItself(ISSUE, 'bounce rate 6%')]);

    // SendRateCap: `{ $.metric = "SendRateCap" }`, its value `$.rate`.
    expect(output.stdout[0]).toMatchObject({ metric: 'SendRateCap', rate: 20, issueId: ISSUE });
    // IssuePausedItself: a filter of the term, anywhere in the event.
    expect(output.stdout[1]).toMatchObject({
      message: 'issue paused itself',
      metric: 'IssuePausedItself',
    });
    expect(output.text).toContain('IssuePausedItself');
  });
});
