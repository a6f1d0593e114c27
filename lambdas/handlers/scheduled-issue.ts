import type { Context } from 'aws-lambda';
import { loadTemplates } from '../../templates/load-templates.ts';
import { configFromEnv } from '../adapters/config-from-env.ts';
import { issueDepsFromEnv } from '../adapters/issue-deps-from-env.ts';
import { archiveFromEnv } from '../adapters/s3-archive.ts';
import type { LogLine } from '../core/common/log-line.ts';
import { IssueInProgressError } from '../core/issues/issue-in-progress-error.ts';
import { IssuePausedError } from '../core/issues/issue-paused-error.ts';
import { NoActiveSubscriberError } from '../core/issues/no-active-subscriber-error.ts';
import { type IssueDeps, sendIssue } from '../core/issues/send-issue.ts';

/** What the schedule did, for the log and the invocation's result. */
export interface ScheduledIssueResult {
  issueId: string | null;
  resumed: boolean;
  articles: number;
  enqueued: number;
}

/**
 * The scheduled-issue handler (EventBridge Scheduler → Lambda): starts the next issue, or
 * carries on the one sending (see `sendIssue`), and returns what it did. Two runs at once,
 * or a run beside an editor's `send`, start one issue: the other is told which one is sending.
 * While an editor keeps an issue paused, the schedule leaves it and starts nothing.
 */
export function createScheduledIssueHandler(
  container: () => Promise<{ deps: IssueDeps; log: LogLine }>,
) {
  let ready: Promise<{ deps: IssueDeps; log: LogLine }> | undefined;
  return async (
    _event?: unknown,
    context?: Pick<Context, 'getRemainingTimeInMillis'>,
  ): Promise<ScheduledIssueResult> => {
    ready ??= container().catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    const { deps, log } = await ready;
    // A list too large for one invocation is prepared further by the send-batch function.
    const remaining = context?.getRemainingTimeInMillis() ?? Number.POSITIVE_INFINITY;
    let started: Awaited<ReturnType<typeof sendIssue>>;
    try {
      started = await sendIssue(deps, 'schedule', { deadline: Date.now() + remaining * 0.8 });
    } catch (error) {
      // Neither is a failure to retry: the next run starts the issue once someone subscribes,
      // or once the issue that another start won is done.
      const result = { issueId: null, resumed: false, articles: 0, enqueued: 0 };
      if (error instanceof NoActiveSubscriberError) {
        log({
          level: 'warn',
          message: 'no active subscriber: issue not started',
          ...result,
        });
        return result;
      }
      if (error instanceof IssueInProgressError) {
        log({ message: 'another issue is being sent', sending: error.issueId, ...result });
        return result;
      }
      if (error instanceof IssuePausedError) {
        log({ level: 'warn', message: 'an issue is paused', paused: error.issueId, ...result });
        return result;
      }
      throw error;
    }
    const result: ScheduledIssueResult = started
      ? {
          issueId: started.issue.issueId,
          resumed: started.resumed,
          articles: started.issue.articleIds.length,
          enqueued: started.enqueued,
        }
      : { issueId: null, resumed: false, articles: 0, enqueued: 0 };
    log({ message: started ? 'issue started' : 'nothing new to send', ...result });
    return result;
  };
}

/** The Lambda entry point: adapters from the function's environment. */
export const handler = createScheduledIssueHandler(async () => {
  const config = configFromEnv();
  // The stack copies templates/ beside the bundle, where the loader looks.
  const templates = await loadTemplates();
  const archive = archiveFromEnv();
  const log: LogLine = (line) => console.info(JSON.stringify(line));
  return {
    deps: issueDepsFromEnv(
      config,
      templates,
      (issueId, content) => archive.putIssue(issueId, content.html),
      log,
    ),
    log,
  };
});
