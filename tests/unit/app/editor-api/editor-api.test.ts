import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { editorApi } from '#app/editor-api/editor-api.ts';
import { finishCancel } from '#core/issues/finish-cancel.ts';
import { storedIssue } from '../../fakes/memory-issue-deps.ts';
import { memoryEditorApiDeps } from './memory-editor-api-deps.ts';

// The router on in-memory ports, through `app.request`: what needs a clock, a gate or a
// failure the embedded services cannot be made to show (tests/integration/editor-api/ runs
// every route over HTTP on them).

const ISSUE = '01JISSUE000000000000000099';
const READERS = [
  '01JSUB00000000000000000001',
  '01JSUB00000000000000000002',
  '01JSUB00000000000000000003',
];

describe('editorApi', () => {
  it('answers a cancel once nobody more is mailed (202), handing the marking of queued records on', async () => {
    const { deps, issues, handedOff } = await memoryEditorApiDeps();
    await issues.issues.create(
      storedIssue(ISSUE, { state: 'sending', preparedAt: '2025-03-07T08:00:00.000Z' }),
    );
    await issues.ledger.addMissing(
      ISSUE,
      READERS.map((subscriberId) => ({ subscriberId, status: 'queued' as const })),
      '2025-03-07T08:00:00.000Z',
    );

    const response = await editorApi(deps).request(`/issues/${ISSUE}/cancel`, { method: 'POST' });

    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ state: 'cancelled', queued: 3, cancelled: 0 });
    expect(handedOff).toEqual([ISSUE]);

    await finishCancel(issues, ISSUE);

    expect(await issues.ledger.counts(ISSUE)).toMatchObject({ queued: 0, cancelled: 3 });
  });

  it('answers the cancel of a draft with 200: there is nothing to mark', async () => {
    const { deps, issues, handedOff } = await memoryEditorApiDeps();
    await issues.issues.create(storedIssue(ISSUE, { state: 'draft' }));

    const response = await editorApi(deps).request(`/issues/${ISSUE}/cancel`, { method: 'POST' });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ state: 'cancelled' });
    expect(handedOff).toEqual([]);
  });

  it('refuses a change from another site’s page (403) whether its browser says so by Sec-Fetch-Site or by Origin', async () => {
    const { deps, issues } = await memoryEditorApiDeps();
    const app = editorApi(deps);
    const post = (headers: Record<string, string>) =>
      app.request('http://localhost/issues', { method: 'POST', headers });

    const bySite = await post({ 'sec-fetch-site': 'same-site' });
    const byOrigin = await post({ origin: 'https://elsewhere.example' });
    const nullOrigin = await post({ origin: 'null' });

    for (const refused of [bySite, byOrigin, nullOrigin]) {
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ error: { code: 'cross-site' } });
    }
    expect(await issues.issues.list()).toEqual([]);
  });

  it('takes a change from the studio’s own pages and from tools, and lets reads through from anywhere', async () => {
    const { deps } = await memoryEditorApiDeps();
    const app = editorApi(deps);
    const post = (headers: Record<string, string>) =>
      app.request('http://localhost/issues', { method: 'POST', headers });

    const sameOrigin = await post({ 'sec-fetch-site': 'same-origin', origin: 'http://localhost' });
    const ownOrigin = await post({ origin: 'http://localhost' });
    const tool = await post({});
    const read = await app.request('http://localhost/issues', {
      headers: { 'sec-fetch-site': 'cross-site' },
    });

    // No article is stored: each reaches the route, which finds nothing new to draft.
    for (const reached of [sameOrigin, ownOrigin, tool]) {
      expect(reached.status).toBe(409);
      expect(await reached.json()).toMatchObject({ error: { code: 'nothing-new' } });
    }
    expect(read.status).toBe(200);
  });

  it('answers 415 for a body that is not JSON on a JSON route, and 400 for JSON that does not parse', async () => {
    const { deps } = await memoryEditorApiDeps();
    const app = editorApi(deps);

    const text = await app.request('/issues', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"articleIds":["a"]}',
    });
    const broken = await app.request('/issues', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"articleIds":',
    });

    expect(text.status).toBe(415);
    expect(await text.json()).toMatchObject({
      error: { code: 'unsupported-media-type', field: 'content-type' },
    });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ error: { code: 'invalid-json' } });
  });

  it('names a field inside a list by its JSON path, and a field it does not know', async () => {
    const { deps } = await memoryEditorApiDeps();
    const app = editorApi(deps);
    const add = (json: unknown) =>
      app.request('/subscribers', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(json),
      });

    const badName = await add({ subscribers: [{ email: 'a@example.com', name: 'Tab\there' }] });
    const unknown = await add({ subscribers: [{ email: 'a@example.com', phone: '123' }] });

    expect(await badName.json()).toMatchObject({
      error: { code: 'invalid-input', field: 'subscribers[0].name' },
    });
    expect(await unknown.json()).toMatchObject({
      error: { code: 'invalid-input', field: 'subscribers[0].phone' },
    });
  });

  it('answers 413 with Connection: close for a body over the route’s limit', async () => {
    const { deps } = await memoryEditorApiDeps();

    const response = await editorApi(deps).request(`/issues/${ISSUE}/approve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(8 * 1024 + 1) },
      body: JSON.stringify({ padding: 'x'.repeat(8 * 1024) }),
    });

    expect(response.status).toBe(413);
    expect(response.headers.get('connection')).toBe('close');
    expect(await response.json()).toMatchObject({ error: { code: 'body-too-large' } });
  });

  it('mounted under /api, as the studio mounts it, answers its routes and its own 404 and errors there', async () => {
    const { deps } = await memoryEditorApiDeps();
    const studio = new Hono();
    studio.route('/api', editorApi(deps));

    const issues = await studio.request('/api/issues');
    const unknownRoute = await studio.request('/api/nothing-here');
    const unknownIssue = await studio.request(`/api/issues/${ISSUE}`);

    expect([issues.status, await issues.json()]).toEqual([200, []]);
    expect([
      unknownRoute.status,
      ((await unknownRoute.json()) as { error: { code: string } }).error.code,
    ]).toEqual([404, 'no-route']);
    expect([
      unknownIssue.status,
      ((await unknownIssue.json()) as { error: { code: string } }).error.code,
    ]).toEqual([404, 'issue-not-found']);
  });
});
