import { Hono } from 'hono';
import * as z from 'zod';
import { UnknownArticlesError } from '#core/issues/compose-issue.ts';
import { draftIssue } from '#core/issues/draft-issue.ts';
import { IssueNotFoundError } from '#core/issues/issue-not-found-error.ts';
import { issueReport } from '#core/issues/issue-report.ts';
import { emptyStatus } from '#core/issues/issue-status.ts';
import type { Issue } from '#core/issues/ports.ts';
import { renderDraft } from '#core/issues/render-draft.ts';
import { testSendIssue } from '#core/issues/test-send.ts';
import { TestSendError } from '#core/issues/test-send-error.ts';
import { parseScheduleTime } from '#core/schedule/parse-schedule-time.ts';
import type { RecipientEventCounts } from '#core/sending/ports.ts';
import { engagementEventTypes } from '#core/sending/send-counts.ts';
import { ApiError } from './api-error.ts';
import { apiErrorOf } from './api-error-of.ts';
import { bodyLimits } from './body-limits.ts';
import type { EditorApiDeps } from './editor-api-deps.ts';
import { draftChoiceOf, draftChoiceShape, timeSchema } from './input-schemas.ts';
import { issueReportNow } from './issue-report-now.ts';
import { limitBody } from './limit-body.ts';
import { listedIssue } from './listed-issue.ts';
import { readJson } from './read-json.ts';
import { readId } from './read-param.ts';
import { readQuery } from './read-query.ts';

const draftBody = z.strictObject({ at: timeSchema.optional(), ...draftChoiceShape });
const renderBody = z.strictObject(draftChoiceShape);
/** The core counts distinct addresses against its limit; this only bounds the body. */
const testBody = z.strictObject({ to: z.array(z.string().max(320)).min(1).max(100) });
const noQuery = z.strictObject({});

/**
 * `GET /issues`, `POST /issues`, `GET /issues/:id`, `POST /issues/:id/render`,
 * `POST /issues/:id/test`: what `issues list`, `draft`, `show`, `render` and `test` do,
 * through the same core functions; and `GET /issues/:id/timeline`, the issue's events minute
 * by minute, for a chart.
 */
export function issueRoutes(deps: EditorApiDeps): Hono {
  const routes = new Hono();
  const { issues } = deps;

  routes.get('/issues', async (c) => {
    readQuery(c, noQuery);
    return c.json((await issues.issues.list()).map(listedIssue));
  });

  routes.post('/issues', limitBody(bodyLimits.draft), async (c) => {
    readQuery(c, noQuery);
    const body = await readJson(c, draftBody);
    const choice = draftChoiceOf(body);
    const asOf =
      body.at === undefined ? undefined : parseScheduleTime(body.at, deps.config.scheduleTimeZone);
    const actor = await deps.actor(c);
    const draft = await naming(choice.articleIds, () =>
      draftIssue(issues, choice, actor, asOf ? { asOf } : {}),
    );
    if (!draft) {
      throw new ApiError(
        409,
        'nothing-new',
        'Nothing new to draft: every stored article is in an issue already. Choose some with articleIds.',
      );
    }
    return c.json(draftReport(draft.issue), 201);
  });

  routes.get('/issues/:id', async (c) => {
    const issueId = readId(c);
    readQuery(c, noQuery);
    const issue = await storedIssue(deps, issueId);
    return c.json(await issueReportNow(issues, deps.config.trackEngagement, issue));
  });

  routes.get('/issues/:id/timeline', async (c) => {
    const issueId = readId(c);
    readQuery(c, noQuery);
    await storedIssue(deps, issueId);
    const minutes = await issues.ledger.eventTimeline(issueId);
    const tracked = deps.config.trackEngagement;
    return c.json({
      minutes: minutes.map(({ minute, counts }) => ({
        minute,
        counts: tracked ? counts : withoutEngagement(counts),
      })),
    });
  });

  routes.post('/issues/:id/render', limitBody(bodyLimits.draft), async (c) => {
    const issueId = readId(c);
    readQuery(c, noQuery);
    const choice = draftChoiceOf(await readJson(c, renderBody));
    const actor = await deps.actor(c);
    const draft = await naming(choice.articleIds, () =>
      renderDraft(issues, issueId, choice, actor),
    );
    return c.json(draftReport(draft.issue));
  });

  routes.post('/issues/:id/test', limitBody(bodyLimits.action), async (c) => {
    const issueId = readId(c);
    readQuery(c, noQuery);
    const { to } = await readJson(c, testBody);
    const by = { actor: await deps.actor(c), at: issues.now() };
    try {
      const outcome = await testSendIssue(
        {
          config: deps.config,
          issues: issues.issues,
          renderedIssues: issues.renderedIssues,
          subscribers: deps.subscriptions.subscribers,
          suppressions: deps.subscriptions.suppressions,
          mailer: deps.subscriptions.mailer,
          hashKey: deps.subscriptions.hashKey,
          linkKeys: deps.subscriptions.linkKeys,
          newId: issues.newId,
        },
        issueId,
        to,
        by,
      );
      return c.json(outcome);
    } catch (error) {
      throw error instanceof TestSendError ? atAddress(error, to) : error;
    }
  });

  return routes;
}

/**
 * The stored issue.
 * @throws IssueNotFoundError (404)
 */
async function storedIssue(deps: EditorApiDeps, issueId: string): Promise<Issue> {
  const issue = await deps.issues.issues.get(issueId);
  if (!issue) throw new IssueNotFoundError(issueId);
  return issue;
}

/**
 * A minute's counts without opens and clicks: without `trackEngagement` SES reports none,
 * and a 0 would read as nobody (as `afterSendCounts` leaves them out).
 */
function withoutEngagement(counts: RecipientEventCounts): Partial<RecipientEventCounts> {
  const kept: Partial<RecipientEventCounts> = { ...counts };
  for (const type of engagementEventTypes) delete kept[type];
  return kept;
}

/** What `issues draft --json` and `issues render --json` print: a new version, no counts. */
function draftReport(issue: Issue) {
  return issueReport(issue, { ...emptyStatus, issueId: issue.issueId });
}

/** Runs `work`; an unknown article is named by its place in `articleIds`. */
async function naming<T>(articleIds: readonly string[] | undefined, work: () => Promise<T>) {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof UnknownArticlesError) || !articleIds) throw error;
    const index = articleIds.findIndex((id) => error.articleIds.includes(id));
    const mapped = apiErrorOf(error) as ApiError;
    throw new ApiError(mapped.status, mapped.code, mapped.message, {
      field: index < 0 ? 'articleIds' : `articleIds[${index}]`,
    });
  }
}

/** A test refused for an address: named by its place in `to`, as the core's message does. */
function atAddress(error: TestSendError, to: readonly string[]): ApiError {
  const mapped = apiErrorOf(error) as ApiError;
  const first = error.addresses[0];
  const index = first === undefined ? -1 : to.findIndex((given) => given.trim() === first);
  if (index < 0) return mapped;
  return new ApiError(mapped.status, mapped.code, mapped.message, { field: `to[${index}]` });
}
