import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssueReport } from '#core/issues/issue-report.ts';
import { ARTICLES, sleep } from '../support/issue-cli.ts';
import { call, type EditorApiServer, SAMPLES, startEditorApi } from './editor-api-server.ts';

// `GET /issues/:id/timeline` on an issue really sent by the local runtime to two readers.

let api: EditorApiServer;
let sentId: string;
let draftId: string;
let report: IssueReport;

/** Asks `GET /issues/:id` until `holds`, or 30 s passed; the last report. */
async function reportUntil(issueId: string, holds: (shown: IssueReport) => boolean) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { body } = await call(api.base, 'GET', `/issues/${issueId}`);
    if (holds(body) || Date.now() > deadline) return body as IssueReport;
    await sleep(250);
  }
}

beforeAll(async () => {
  api = await startEditorApi();
  const file = 'midnight-museum-tour.txt';
  const text = await readFile(join(SAMPLES, file), 'utf8');
  expect((await call(api.base, 'POST', `/articles?file=${file}`, { text })).status).toBe(201);
  const readers = ['reader1@example.com', 'reader2@example.com'].map((email) => ({ email }));
  const added = await call(api.base, 'POST', '/subscribers', { json: { subscribers: readers } });
  expect(added.status).toBe(200);
  const drafted = await call(api.base, 'POST', '/issues', {
    json: { articleIds: [ARTICLES.museum] },
  });
  expect(drafted.status).toBe(201);
  sentId = drafted.body.issueId;
  expect((await call(api.base, 'POST', `/issues/${sentId}/send`)).status).toBe(202);
  report = await reportUntil(sentId, (shown) => shown.state === 'sent' && shown.delivered === 2);
  const other = await call(api.base, 'POST', '/issues', {
    json: { articleIds: [ARTICLES.museum] },
  });
  expect(other.status).toBe(201);
  draftId = other.body.issueId;
});
afterAll(async () => {
  await api?.stop();
});

describe('GET /issues/:id/timeline', () => {
  it('answers the minutes of a sent issue, oldest first, whose counts add up to its report', async () => {
    const answer = await call(api.base, 'GET', `/issues/${sentId}/timeline`);

    expect(report.state).toBe('sent');
    expect(answer.status).toBe(200);
    const minutes = answer.body.minutes as { minute: string; counts: Record<string, number> }[];
    expect(minutes.length).toBeGreaterThan(0);
    for (const { minute } of minutes) expect(minute).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d$/);
    expect(minutes.map(({ minute }) => minute)).toEqual(minutes.map(({ minute }) => minute).sort());
    const delivered = minutes.reduce((sum, { counts }) => sum + (counts.delivered ?? 0), 0);
    expect(delivered).toBe(report.delivered);
  });

  it('leaves out opens and clicks unless trackEngagement is on, as the report does', async () => {
    const tracking = await api.serveAlso({
      ...api.deps,
      config: { ...api.deps.config, trackEngagement: true },
    });

    const untracked = await call(api.base, 'GET', `/issues/${sentId}/timeline`);
    const tracked = await call(tracking, 'GET', `/issues/${sentId}/timeline`);

    expect(api.deps.config.trackEngagement).toBe(false);
    expect(Object.keys(untracked.body.minutes[0].counts)).not.toContain('opened');
    expect(Object.keys(untracked.body.minutes[0].counts)).not.toContain('clicked');
    expect(tracked.body.minutes[0].counts).toMatchObject({ opened: 0, clicked: 0 });
  });

  it('answers no minutes for a draft', async () => {
    const answer = await call(api.base, 'GET', `/issues/${draftId}/timeline`);

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ minutes: [] });
  });

  it('answers 404 issue-not-found for an unknown id, 400 for an address as id or an unknown parameter', async () => {
    const unknown = await call(api.base, 'GET', '/issues/01JZZZZZZZZZZZZZZZZZZZZZZZ/timeline');
    const address = await call(api.base, 'GET', '/issues/reader1@example.com/timeline');
    const parameter = await call(api.base, 'GET', `/issues/${sentId}/timeline?since=1`);

    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'issue-not-found']);
    expect([address.status, address.body.error.field]).toEqual([400, 'id']);
    expect(parameter.status).toBe(400);
  });
});
