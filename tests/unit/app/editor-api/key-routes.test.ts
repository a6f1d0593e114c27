import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { editorApi } from '#app/editor-api/editor-api.ts';
import { ledgerRecord, storedIssue } from '../../fakes/memory-issue-deps.ts';
import { memoryEditorApiDeps } from './memory-editor-api-deps.ts';

// `/keys` on in-memory ports, the router mounted at `/api` as the studio mounts it: the keys
// are those the subscriber links are signed with (`memorySubscriptionDeps`), the clock the
// tests' manual one (2025-03-07T08:00Z). Who may call them is IAM's business on AWS
// (tests/unit/app/editor-api/editor-routes.test.ts, tests/infra/editor-api.test.ts).

const ISSUE = '01JISSUE000000000000000042';
const NOW = new Date('2025-03-07T08:00:00.000Z');
const KID_NOW = (NOW.getTime() / 1000).toString(36);
const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

async function mounted() {
  const memory = await memoryEditorApiDeps();
  const app = new Hono().route('/api', editorApi(memory.deps));
  const kids = async () => [...(await memory.deps.linkKeys.current()).byKid.keys()].sort();
  return { ...memory, app, kids };
}

describe('the key routes', () => {
  it('list the keys, newest first, without their bytes', async () => {
    const { app } = await mounted();

    const response = await app.request('/api/keys');

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ keys: [{ kid: '0', newest: true }] });
  });

  it('rotate: 201 with the new kid and the kept ones; the new key is the newest', async () => {
    const { app, audit, kids } = await mounted();

    const response = await app.request('/api/keys', { method: 'POST' });

    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ kid: KID_NOW, kept: ['0'] });
    expect(await kids()).toEqual(['0', KID_NOW].sort());
    const listed = await (await app.request('/api/keys')).json();
    expect(listed).toEqual({
      keys: [
        { kid: KID_NOW, madeAt: NOW.toISOString(), newest: true },
        { kid: '0', newest: false },
      ],
    });
    expect(await audit.list()).toMatchObject([
      { action: 'POST /keys', target: KID_NOW, outcome: { result: 'ok', status: 201 } },
    ]);
  });

  it('retire without { confirm: true }: the estimate only, nothing retired, recorded as a dry run', async () => {
    const { app, audit, kids, issues } = await mounted();
    await app.request('/api/keys', { method: 'POST' });
    // An issue sent before the rotation, under key "0", to two readers.
    await issues.issues.create(
      storedIssue(ISSUE, {
        state: 'sent',
        startedAt: '2025-03-01T08:00:00.000Z',
        timeline: [{ at: '2025-03-01T09:00:00.000Z', actor: 'sender', action: 'sent' }],
      }),
    );
    for (const reader of ['01JSUB00000000000000000001', '01JSUB00000000000000000002']) {
      await ledgerRecord(issues.ledger, ISSUE, reader, 'sent', '2025-03-01T08:30:00.000Z');
    }
    const before = await kids();

    const response = await app.request('/api/keys/0/retire', { method: 'POST' });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      kid: '0',
      dryRun: true,
      kept: [KID_NOW],
      breaks: {
        newest: { until: NOW.toISOString() },
        issues: [{ issueId: ISSUE, mailed: 2, partly: false }],
        mailed: 2,
        confirmLinks: true,
      },
    });
    expect(await kids()).toEqual(before);
    expect((await audit.list())[0]).toMatchObject({
      action: 'POST /keys/:kid/retire',
      target: '0',
      outcome: { result: 'ok', status: 200, code: 'dry-run' },
    });
  });

  it('retire with { confirm: true }: the key is gone, and the answer says what broke', async () => {
    const { app, audit, kids } = await mounted();
    await app.request('/api/keys', { method: 'POST' });

    const response = await app.request('/api/keys/0/retire', json({ confirm: true }));

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      kid: '0',
      dryRun: false,
      kept: [KID_NOW],
      breaks: { issues: [], mailed: 0 },
    });
    expect(await kids()).toEqual([KID_NOW]);
    expect((await audit.list())[0]).toEqual({
      at: expect.any(String),
      id: expect.any(String),
      actor: 'cli:tester',
      action: 'POST /keys/:kid/retire',
      target: '0',
      outcome: { result: 'ok', status: 200 },
    });
  });

  it('refuse the newest key (409, rotate first), an unknown kid (404) and a kid that cannot be one (400)', async () => {
    const { app, kids } = await mounted();
    const before = await kids();

    const newest = await app.request('/api/keys/0/retire', json({ confirm: true }));
    const unknown = await app.request('/api/keys/zz9/retire', json({ confirm: true }));
    const malformed = await app.request('/api/keys/NOT-A-KID/retire', json({ confirm: true }));

    expect(newest.status).toBe(409);
    expect(await newest.json()).toMatchObject({
      error: {
        code: 'link-key-newest',
        field: 'kid',
        message: expect.stringContaining('Rotate first'),
      },
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'link-key-not-found' } });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({
      error: { code: 'invalid-input', field: 'kid' },
    });
    expect(await kids()).toEqual(before);
  });

  it('refuse a body or query they do not know (400), and change nothing', async () => {
    const { app, kids } = await mounted();
    const before = await kids();

    const rotate = await app.request('/api/keys', json({ kid: 'abc' }));
    const retire = await app.request('/api/keys/0/retire', json({ confirm: 'yes' }));
    const query = await app.request('/api/keys?dryRun=1', { method: 'POST' });

    for (const refused of [rotate, retire, query]) {
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ error: { code: 'invalid-input' } });
    }
    expect(await kids()).toEqual(before);
  });
});
