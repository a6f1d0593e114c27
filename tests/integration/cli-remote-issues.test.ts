import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '#core/audit/audit-record.ts';
import type { IssueReport } from '#core/issues/issue-report.ts';
import {
  ARTICLES,
  oncePer,
  outboxRecords,
  perAddress,
  readers,
  seed,
  startCli,
  stopBackground,
  whenOutboxHolds,
} from './support/issue-cli.ts';
import { startRemoteStack } from './support/remote-cli.ts';
import type { CliResult } from './support/run-cli.ts';
import { stopServes } from './support/serve-cli.ts';

const SUBSCRIBERS = 30;

function json<T>(result: CliResult): T {
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as T;
}

describe('NEWSLETTER_TARGET=aws: the issue commands through the signed editor API', () => {
  let stack: Awaited<ReturnType<typeof startRemoteStack>>;
  let signer: string;
  beforeAll(async () => {
    stack = await startRemoteStack();
    signer = `iam:local/${stack.remoteEnv.AWS_ACCESS_KEY_ID}`;
    // The stack's articles and list, set up behind the API.
    await seed(stack.stackHome, stack.local, SUBSCRIBERS);
  }, 120_000);
  afterAll(async () => {
    await stopBackground();
    await stopServes();
  });

  it('drafts, renders, tests, schedules, approves and sends an issue; the timeline and the audit trail name the IAM signer', async () => {
    const drafted = json<IssueReport>(
      await stack.remote([
        'issues',
        'draft',
        '--articles',
        `${ARTICLES.museum},${ARTICLES.lighthouse}`,
        '--json',
      ]),
    );
    expect(drafted).toMatchObject({ state: 'draft', version: 1 });
    expect(drafted.articleIds).toEqual([ARTICLES.museum, ARTICLES.lighthouse]);
    const { issueId } = drafted;

    const rendered = json<IssueReport>(
      await stack.remote(['issues', 'render', issueId, '--subject', 'Through the API', '--json']),
    );
    const listed = json<Array<{ issueId: string; subject: string }>>(
      await stack.remote(['issues', 'list', '--json']),
    );
    const tested = await stack.remote(['issues', 'test', issueId, '--to', 'editor@example.com']);
    const scheduled = json<IssueReport>(
      await stack.remote(['issues', 'send', issueId, '--at', '2099-01-01T09:00:00Z', '--json']),
    );
    const schedule = json<Array<{ kind: string; issueId?: string }>>(
      await stack.remote(['schedule', '--json']),
    );
    const unscheduled = json<IssueReport>(
      await stack.remote(['issues', 'unschedule', issueId, '--json']),
    );
    const approved = json<IssueReport>(
      await stack.remote(['issues', 'approve', issueId, '--json']),
    );
    const sent = await stack.remote(['issues', 'send', issueId, '--json']);
    const status = json<IssueReport>(await stack.remote(['status', '--json']));
    const audit = json<{ records: AuditRecord[] }>(await stack.remote(['audit', '--json']));

    expect(rendered).toMatchObject({ version: 2, subject: 'Through the API' });
    expect(listed).toEqual([expect.objectContaining({ issueId, subject: 'Through the API' })]);
    expect(tested.code, tested.stderr).toBe(0);
    expect(tested.stdout).toContain(`Test of issue ${issueId}, version 2: 1 of 1 message sent.`);
    expect(scheduled).toMatchObject({
      state: 'scheduled',
      scheduledAt: '2099-01-01T09:00:00.000Z',
    });
    expect(schedule).toContainEqual(expect.objectContaining({ kind: 'issue', issueId }));
    expect(unscheduled.state).toBe('draft');
    expect(approved.approved).toBe(true);
    expect(sent.code, sent.stderr).toBe(0);
    expect(JSON.parse(sent.stdout)).toMatchObject({
      issueId,
      state: 'sent',
      recipients: SUBSCRIBERS,
      sent: SUBSCRIBERS,
    });
    expect(await perAddress(stack.stackHome, issueId)).toEqual(oncePer(readers(SUBSCRIBERS)));
    expect(status).toMatchObject({ issueId, state: 'sent', sent: SUBSCRIBERS });
    const actions = ['draft', 'render', 'test', 'schedule', 'unschedule', 'approve', 'send'];
    expect(
      status.timeline
        .filter((entry) => actions.includes(entry.action))
        .every((entry) => entry.actor === signer),
    ).toBe(true);
    const recorded = audit.records.filter((record) => record.target?.includes(issueId));
    expect(recorded.map((record) => record.actor)).toEqual(recorded.map(() => signer));
    expect(recorded.length).toBeGreaterThanOrEqual(7);
    expect(JSON.stringify(audit)).not.toContain('@example.com');
    // The editor's machine ran no services and kept nothing.
    expect(await readdir(stack.editorHome)).toEqual([]);
  }, 180_000);

  it('pauses an issue that the stack sends, resumes it, and cancels another', async () => {
    const drafted = json<IssueReport>(
      await stack.remote(['issues', 'draft', '--articles', ARTICLES.vegetables, '--json']),
    );
    const { issueId } = drafted;
    const follower = startCli(
      stack.editorHome,
      ['issues', 'send', issueId, '--rate', '2'],
      stack.remoteEnv,
    );
    await whenOutboxHolds(stack.stackHome, issueId, 2, {
      timeoutMs: 30_000,
      gaveUp: follower.ended,
    });
    const paused = await stack.remote(['issues', 'pause', issueId]);
    const followed = await follower.ended;
    const resumed = await stack.remote(['issues', 'resume', issueId, '--rate', '50', '--json']);

    expect(paused.code, paused.stderr).toBe(0);
    expect(paused.stdout).toMatch(/Paused issue \S+: .*\d+ calls? to SES still finishing/);
    expect(followed.code, followed.stdout + followed.stderr).toBe(0);
    expect(followed.stdout).toContain(`Issue ${issueId} was paused by ${signer}`);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ state: 'sent', sent: SUBSCRIBERS });
    expect(await perAddress(stack.stackHome, issueId)).toEqual(oncePer(readers(SUBSCRIBERS)));

    const other = json<IssueReport>(
      await stack.remote(['issues', 'draft', '--articles', ARTICLES.mornings, '--json']),
    );
    const cancelled = json<IssueReport>(
      await stack.remote(['issues', 'cancel', other.issueId, '--json']),
    );
    expect(cancelled).toMatchObject({ issueId: other.issueId, state: 'cancelled' });
    expect(await outboxRecords(stack.stackHome, other.issueId)).toEqual([]);
  }, 180_000);

  it('names what is missing, and says why when the signature is refused', async () => {
    const missing = await stack.remote(['issues', 'list'], { NEWSLETTER_EDITOR_API_URL: '' });
    const forged = await stack.remote(['issues', 'list'], { AWS_SECRET_ACCESS_KEY: 'forged' });
    const unknown = await stack.remote(['issues', 'show', '01JAAAAAAAAAAAAAAAAAAAAAAA']);

    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('missing: NEWSLETTER_EDITOR_API_URL');
    expect(forged.code).toBe(1);
    expect(forged.stderr).toMatch(/newsletter: .*signature/i);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('there is no issue 01JAAAAAAAAAAAAAAAAAAAAAAA');
  });
});
