import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { editorApi } from '#app/editor-api/editor-api.ts';
import { storedIssue } from '../../fakes/memory-issue-deps.ts';
import { article } from '../../support/articles.ts';
import { memoryEditorApiDeps } from './memory-editor-api-deps.ts';

// The audit middleware of the editor API on in-memory ports, the router mounted at `/api` as
// the studio mounts it.

const ISSUE = '01JISSUE000000000000000099';

async function mounted() {
  const memory = await memoryEditorApiDeps();
  const app = new Hono().route('/api', editorApi(memory.deps));
  return { ...memory, app };
}

describe('auditChanges', () => {
  it('records a POST with its route as declared, its :id as target, the actor and the status', async () => {
    const { app, audit, issues } = await mounted();
    await issues.issues.create(storedIssue(ISSUE, { state: 'draft' }));

    const response = await app.request(`/api/issues/${ISSUE}/cancel`, {
      method: 'POST',
    });

    expect(response.status).toBe(200);
    expect(await audit.list()).toEqual([
      {
        at: expect.any(String),
        id: expect.any(String),
        actor: 'cli:tester',
        action: 'POST /issues/:id/cancel',
        target: ISSUE,
        outcome: { result: 'ok', status: 200 },
      },
    ]);
  });

  it("records a draft with the new issue's id from the answer", async () => {
    const { app, audit, issues } = await mounted();
    await issues.articles.putAll([article('night-trains', '2025-03-06T08:00:00.000Z')]);

    const response = await app.request('/api/issues', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const { issueId } = (await response.json()) as { issueId: string };

    expect(response.status).toBe(201);
    expect(await audit.list()).toMatchObject([
      { action: 'POST /issues', target: issueId, outcome: { result: 'ok', status: 201 } },
    ]);
  });

  it('records a refused action (409) with its error code', async () => {
    const { app, audit, issues } = await mounted();
    await issues.issues.create(storedIssue(ISSUE, { state: 'draft' }));

    const response = await app.request(`/api/issues/${ISSUE}/pause`, { method: 'POST' });

    expect(response.status).toBe(409);
    expect(await audit.list()).toMatchObject([
      {
        action: 'POST /issues/:id/pause',
        target: ISSUE,
        outcome: { result: 'refused', status: 409, code: 'issue-state' },
      },
    ]);
  });

  it('records no GET, and no request that reached no route', async () => {
    const { app, audit, issues } = await mounted();
    await issues.issues.create(storedIssue(ISSUE, { state: 'draft' }));

    const read = await app.request(`/api/issues/${ISSUE}`);
    const astray = await app.request('/api/nowhere', { method: 'POST' });

    expect([read.status, astray.status]).toEqual([200, 404]);
    expect(await audit.list()).toEqual([]);
  });

  it('leaves the answer as it was when the record cannot be written, and logs that without addresses', async () => {
    const { app, audit, issues, lines } = await mounted();
    await issues.issues.create(storedIssue(ISSUE, { state: 'draft' }));
    audit.record = async () => {
      throw new Error('audit table unreachable for ada@example.com');
    };

    const response = await app.request(`/api/issues/${ISSUE}/cancel`, { method: 'POST' });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ issueId: ISSUE, state: 'cancelled' });
    expect(lines).toEqual([
      {
        level: 'error',
        message: 'editor api: the audit record of a change was not written',
        action: 'POST /issues/:id/cancel',
        status: 200,
        error: 'Error: audit table unreachable for [address]',
      },
    ]);
  });
});

describe('GET /audit', () => {
  it('answers the records from `since` on, newest first, at most `limit`', async () => {
    const { app, audit } = await mounted();
    const at = (time: string, id: string) => ({
      at: time,
      id,
      actor: 'cli:tester',
      action: 'issues pause',
      target: ISSUE,
      outcome: { result: 'ok' as const, exitCode: 0 },
    });
    await audit.record(at('2025-03-06T08:00:00.000Z', '01JA'));
    await audit.record(at('2025-03-07T08:00:00.000Z', '01JB'));
    await audit.record(at('2025-03-08T08:00:00.000Z', '01JC'));

    const all = await app.request('/api/audit?since=2025-03-07');
    const one = await app.request('/api/audit?limit=1');

    expect(await all.json()).toEqual({
      records: [at('2025-03-08T08:00:00.000Z', '01JC'), at('2025-03-07T08:00:00.000Z', '01JB')],
    });
    expect(await one.json()).toEqual({ records: [at('2025-03-08T08:00:00.000Z', '01JC')] });
  });

  it('refuses a `since` that is no time, and a `limit` out of 1 to 1000 (400)', async () => {
    const { app } = await mounted();

    const since = await app.request('/api/audit?since=yesterday');
    const limit = await app.request('/api/audit?limit=0');

    expect([since.status, limit.status]).toEqual([400, 400]);
    expect(await since.json()).toMatchObject({ error: { field: 'since' } });
  });
});
