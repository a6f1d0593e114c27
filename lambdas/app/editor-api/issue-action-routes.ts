import { type Context, Hono } from 'hono';
import * as z from 'zod';
import { approveIssue } from '#core/issues/approve-issue.ts';
import { cancelIssue } from '#core/issues/cancel-issue.ts';
import type { StoppedIssue } from '#core/issues/pause-issue.ts';
import { pauseIssue } from '#core/issues/pause-issue.ts';
import type { Issue } from '#core/issues/ports.ts';
import { resumeIssue } from '#core/issues/resume-issue.ts';
import { scheduleIssue, unscheduleIssue } from '#core/issues/schedule-issue.ts';
import { startIssue } from '#core/issues/start-issue.ts';
import { parseScheduleTime } from '#core/schedule/parse-schedule-time.ts';
import { bodyLimits } from './body-limits.ts';
import type { EditorApiDeps } from './editor-api-deps.ts';
import { rateSchema, timeSchema } from './input-schemas.ts';
import { issueReportNow } from './issue-report-now.ts';
import { limitBody } from './limit-body.ts';
import { invalid } from './parse-input.ts';
import { readJson } from './read-json.ts';
import { readId } from './read-param.ts';
import { readQuery } from './read-query.ts';

/**
 * Milliseconds a start may spend preparing the list before it answers: what is left is
 * handed to the send queue as a `PrepareStep`, which the send-batch handler carries on,
 * as the schedule's start does on Lambda.
 */
export const START_PREPARE_MS = 3_000;

const noBody = z.strictObject({});
const sendBody = z.strictObject({ at: timeSchema.optional(), rate: rateSchema.optional() });
const resumeBody = z.strictObject({ rate: rateSchema.optional() });

/**
 * `POST /issues/:id/approve`, `/send`, `/unschedule`, `/pause`, `/resume`, `/cancel`: the
 * actions of `issues approve`, `send` (`--at`), `unschedule`, `pause`, `resume` and `cancel`,
 * through the same core functions. Each answers once the action is taken, with the issue's
 * report (`issues show --json`); following a send is the caller's business (the CLI's
 * progress bar, the studio's events), so a send, a resume and a cancel that goes on marking
 * answer 202.
 */
export function issueActionRoutes(deps: EditorApiDeps): Hono {
  const routes = new Hono();
  const { issues } = deps;
  const report = (issue: Issue) => issueReportNow(issues, deps.config.trackEngagement, issue);

  routes.post('/issues/:id/approve', limitBody(bodyLimits.action), async (c) => {
    const { issueId, actor } = await actionOf(c, deps, noBody);
    return c.json(await report(await approveIssue(issues, issueId, actor)));
  });

  routes.post('/issues/:id/send', limitBody(bodyLimits.action), async (c) => {
    const { issueId, actor, body } = await actionOf(c, deps, sendBody);
    if (body.at !== undefined) {
      if (body.rate !== undefined) {
        invalid('rate', 'applies to a send now; a scheduled issue goes at the SES quota');
      }
      const at = parseScheduleTime(body.at, deps.config.scheduleTimeZone);
      return c.json(await report(await scheduleIssue(issues, issueId, at, actor)));
    }
    const { issue } = await startIssue(issues, issueId, actor, {
      ...(body.rate === undefined ? {} : { rate: body.rate }),
      deadline: issues.now().getTime() + START_PREPARE_MS,
    });
    return c.json(await report(issue), 202);
  });

  routes.post('/issues/:id/unschedule', limitBody(bodyLimits.action), async (c) => {
    const { issueId, actor } = await actionOf(c, deps, noBody);
    return c.json(await report(await unscheduleIssue(issues, issueId, actor)));
  });

  routes.post('/issues/:id/pause', limitBody(bodyLimits.action), async (c) => {
    const { issueId, actor } = await actionOf(c, deps, noBody);
    const { issue, inFlight } = await pauseIssue(issues, issueId, actor);
    return c.json({ ...(await report(issue)), inFlight });
  });

  routes.post('/issues/:id/resume', limitBody(bodyLimits.action), async (c) => {
    const { issueId, actor, body } = await actionOf(c, deps, resumeBody);
    const { issue } = await resumeIssue(issues, issueId, actor, {
      ...(body.rate === undefined ? {} : { rate: body.rate }),
    });
    return c.json(await report(issue), 202);
  });

  routes.post('/issues/:id/cancel', limitBody(bodyLimits.action), async (c) => {
    const { issueId, actor } = await actionOf(c, deps, noBody);
    const { stopped, marking } = await cancelNow(deps, issueId, actor);
    const answer = { ...(await report(stopped.issue)), inFlight: stopped.inFlight };
    return c.json(answer, marking ? 202 : 200);
  });

  return routes;
}

/** The issue id of the path, the request's JSON body, and who acts. */
async function actionOf<T extends z.ZodType>(c: Context, deps: EditorApiDeps, schema: T) {
  const issueId = readId(c);
  readQuery(c, z.strictObject({}));
  const body = await readJson(c, schema);
  return { issueId, body, actor: await deps.actor(c) };
}

/**
 * Cancels the issue (`cancelIssue`) and returns once nobody more is mailed, or once a draft is
 * cancelled; marking the queued records `cancelled` is handed on (`handOffCancel`), as the
 * senders mark the pages they reach. Cut short, a cancel leaves the articles carried, the
 * safe side.
 */
async function cancelNow(
  deps: EditorApiDeps,
  issueId: string,
  actor: string,
): Promise<{ stopped: StoppedIssue; marking: boolean }> {
  const stopped = await cancelIssue(deps.issues, issueId, actor, { handOff: deps.handOffCancel });
  return { stopped, marking: stopped.handedOff === true };
}
