import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssueReport } from '#core/issues/issue-report.ts';
import { sleep } from '../support/issue-cli.ts';
import type { CliResult } from '../support/run-cli.ts';
import {
  call,
  type EditorApiServer,
  SAMPLES,
  type Sent,
  startEditorApi,
} from './editor-api-server.ts';

// The editor API and the `newsletter` commands on the same state folder at once: the
// commands share the services this test process runs, as they would the studio's.

const SAMPLE_FILES = [
  'midnight-museum-tour.txt',
  'ugly-vegetable-menu.txt',
  'mara-vell-lighthouse-cafe.txt',
  'five-minute-mornings.txt',
];

let api: EditorApiServer;
const request = (method: string, path: string, sent?: Sent) => call(api.base, method, path, sent);

beforeAll(async () => {
  api = await startEditorApi();
  for (const file of SAMPLE_FILES) {
    const text = await readFile(join(SAMPLES, file), 'utf8');
    expect((await request('POST', `/articles?file=${file}`, { text })).status).toBe(201);
  }
  const csv =
    'email,name\nreader1@example.com,Reader 1\nreader2@example.com,\nreader3@example.com,Reader 3\n';
  expect((await request('POST', '/subscribers', { text: csv, type: 'text/csv' })).status).toBe(200);
});
afterAll(async () => {
  await api?.stop();
});

/** What a command printed on stdout, as JSON; fails the test if it failed. */
function printed(result: CliResult) {
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

/** Every field of `actual` equal to the same field of `expected`, and no field more or less. */
function expectSameFields(actual: Record<string, unknown>, expected: Record<string, unknown>) {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const key of Object.keys(expected)) {
    expect({ [key]: actual[key] }).toEqual({ [key]: expected[key] });
  }
}

/** The issue's id in a message stands for the issue only: the same message of another issue. */
function withoutIssueId(content: string, issueId: string): string {
  return content.replaceAll(issueId, '<issue>');
}

describe('the editor API answers what the matching command prints', () => {
  it('GET /preview?as=public&at=TIME is the message `issues draft --at TIME` writes, but for the issue’s id, and stores nothing', async () => {
    const at = '2027-04-06T09:00';
    const preview = await request('GET', `/preview?as=public&at=${at}`);
    expect(preview.status).toBe(200);
    expect((await request('GET', '/issues')).body).toEqual([]);

    const drafted = printed(
      await api.cli(['issues', 'draft', '--at', at, '--json']),
    ) as IssueReport;
    const html = await readFile(join(api.home, 'issues', `${drafted.issueId}.html`), 'utf8');
    const text = await readFile(join(api.home, 'issues', `${drafted.issueId}.txt`), 'utf8');

    expect(preview.body.subject).toBe(drafted.subject);
    const plannedId = /\/issues\/([0-9A-Z]{26})/.exec(preview.body.html)?.[1] as string;
    expect(withoutIssueId(preview.body.html, plannedId)).toBe(
      withoutIssueId(html, drafted.issueId),
    );
    expect(withoutIssueId(preview.body.text, plannedId)).toBe(
      withoutIssueId(text, drafted.issueId),
    );
  });

  it('GET /issues/:id of a draft is what `issues show ID --json` prints, field by field', async () => {
    const drafted = await request('POST', '/issues', { json: { subject: 'Four stories' } });
    expect(drafted.status).toBe(201);

    const shown = await request('GET', `/issues/${drafted.body.issueId}`);
    const cli = printed(await api.cli(['issues', 'show', drafted.body.issueId, '--json']));

    expect(shown.status).toBe(200);
    expectSameFields(shown.body, cli);
  });

  it('GET /issues/:id of a sent issue, with its counts and what SES reported since, is what `issues show ID --json` prints, field by field', async () => {
    const [draft] = (await request('GET', '/issues')).body.filter(
      (issue: { subject: string }) => issue.subject === 'Four stories',
    );
    expect((await request('POST', `/issues/${draft.issueId}/send`)).status).toBe(202);
    // Sent, and each message's delivery applied: nothing moves between the two reads.
    let shown = (await request('GET', `/issues/${draft.issueId}`)).body as IssueReport;
    for (
      let tries = 0;
      !(shown.state === 'sent' && shown.delivered === 3) && tries < 120;
      tries++
    ) {
      await sleep(250);
      shown = (await request('GET', `/issues/${draft.issueId}`)).body;
    }

    const cli = printed(await api.cli(['issues', 'show', draft.issueId, '--json']));

    expect(shown).toMatchObject({ state: 'sent', sent: 3, delivered: 3 });
    expectSameFields(shown as unknown as Record<string, unknown>, cli);
  });

  it('GET /issues is what `issues list --json` prints', async () => {
    const listed = await request('GET', '/issues');
    const cli = printed(await api.cli(['issues', 'list', '--json']));

    expect(listed.body).toHaveLength(2);
    expect(listed.body).toEqual(cli);
  });

  it('GET /schedule is what `schedule --json` prints', async () => {
    const schedule = await request('GET', '/schedule');
    const cli = printed(await api.cli(['schedule', '--json']));

    expect(schedule.body).toHaveLength(5);
    expect(schedule.body).toEqual(cli);
  });

  it('GET /articles, GET /subscribers and GET /subscribers/export are what `articles list --json`, `subscribers list --json` and `subscribers export` print', async () => {
    const articles = await request('GET', '/articles');
    const subscribers = await request('GET', '/subscribers');
    const exported = await request('GET', '/subscribers/export');
    const cliArticles = printed(await api.cli(['articles', 'list', '--json']));
    const cliSubscribers = printed(await api.cli(['subscribers', 'list', '--json']));
    const cliExport = await api.cli(['subscribers', 'export']);

    expect(articles.body).toHaveLength(4);
    expect(articles.body).toEqual(cliArticles);
    expect(subscribers.body).toHaveLength(3);
    expect(subscribers.body).toEqual(cliSubscribers);
    expect(cliExport.code, cliExport.stderr).toBe(0);
    expect(exported.body).toBe(cliExport.stdout);
  });
});
