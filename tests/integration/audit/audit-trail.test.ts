import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliActor } from '#cli/cli-actor.ts';
import type { AuditRecord } from '#core/audit/audit-record.ts';
import {
  call,
  type EditorApiServer,
  SAMPLES,
  startEditorApi,
} from '../editor-api/editor-api-server.ts';
import { ARTICLES } from '../support/issue-cli.ts';

// The audit trail on the embedded services: CLI commands record themselves, the editor API
// served over HTTP records its changes, and both `newsletter audit` and `GET /audit` list
// them from the same table.

let api: EditorApiServer;
let cliDraft: string;
let apiDraft: string;

beforeAll(async () => {
  api = await startEditorApi();
  const imported = await api.cli(['import', join(SAMPLES, 'midnight-museum-tour.txt')]);
  expect(imported.code, imported.stderr).toBe(0);
  const drafted = await api.cli(['issues', 'draft', '--articles', ARTICLES.museum, '--json']);
  expect(drafted.code, drafted.stderr).toBe(0);
  cliDraft = (JSON.parse(drafted.stdout) as { issueId: string }).issueId;
  const cancelled = await api.cli(['issues', 'cancel', cliDraft]);
  expect(cancelled.code, cancelled.stderr).toBe(0);
  const refused = await api.cli(['issues', 'pause', cliDraft]);
  expect(refused.code).toBe(1);
  const added = await api.cli(['subscribers', 'add', 'ada@example.com']);
  expect(added.code, added.stderr).toBe(0);
  const viaApi = await call(api.base, 'POST', '/issues', {
    json: { articleIds: [ARTICLES.museum] },
  });
  expect(viaApi.status).toBe(201);
  apiDraft = viaApi.body.issueId;
});
afterAll(async () => {
  await api?.stop();
});

describe('the audit trail', () => {
  it('`newsletter audit --json` lists the CLI changes, newest first, as cli:<user> with their targets and outcomes, and no address', async () => {
    const listed = await api.cli(['audit', '--json']);
    const { records } = JSON.parse(listed.stdout) as { records: AuditRecord[] };
    const cli = records.filter(
      (record) => record.actor.startsWith('cli:') && !record.action.startsWith('POST'),
    );

    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).not.toContain('@');
    expect(
      cli.map(({ actor, action, target, outcome }) => ({ actor, action, target, outcome })),
    ).toEqual([
      {
        actor: cliActor(),
        action: 'subscribers add',
        target: expect.stringMatching(/^[0-9A-Z]{26}$/),
        outcome: { result: 'ok', exitCode: 0 },
      },
      {
        actor: cliActor(),
        action: 'issues pause',
        target: cliDraft,
        outcome: { result: 'refused', exitCode: 1, code: 'IssueStateError' },
      },
      {
        actor: cliActor(),
        action: 'issues cancel',
        target: cliDraft,
        outcome: { result: 'ok', exitCode: 0 },
      },
      {
        actor: cliActor(),
        action: 'issues draft',
        target: cliDraft,
        outcome: { result: 'ok', exitCode: 0 },
      },
      {
        actor: cliActor(),
        action: 'import',
        target: ARTICLES.museum,
        outcome: { result: 'ok', exitCode: 0 },
      },
    ]);
  });

  it('`GET /audit` lists a change made through the router with its route as declared', async () => {
    const { status, body } = await call(api.base, 'GET', '/audit?limit=1');

    expect(status).toBe(200);
    expect(body).toEqual({
      records: [
        {
          at: expect.any(String),
          id: expect.any(String),
          actor: cliActor(),
          action: 'POST /issues',
          target: apiDraft,
          outcome: { result: 'ok', status: 201 },
        },
      ],
    });
  });

  it('`newsletter audit --since` leaves out what came before, and prints a line per record', async () => {
    const { body } = await call(api.base, 'GET', '/audit?limit=1');
    const newest = (body as { records: AuditRecord[] }).records[0]?.at ?? '';

    const listed = await api.cli(['audit', '--since', newest]);

    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout.trim().split('\n')).toEqual([
      `${newest}  ${cliActor()}  POST /issues ${apiDraft}  ok (201)`,
    ]);
  });
});
