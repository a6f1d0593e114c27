import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxRecord } from '#cli/local/ses-capture-proxy.ts';
import { checkMessage } from '#core/checks/check-message.ts';
import type { IssueReport } from '#core/issues/issue-report.ts';
import { messageHeaderLines } from '#core/sending/message-header-lines.ts';
import { checkSubscriberToken } from '#core/subscribers/subscriber-token.ts';
import { ARTICLES, outboxRecords, perAddress, sleep } from '../support/issue-cli.ts';
import {
  call,
  type EditorApiServer,
  SAMPLES,
  type Sent,
  startEditorApi,
} from './editor-api-server.ts';

// The routes, in the order an editor meets them, on one state folder: each describe builds
// on what the ones before it stored (the sample articles, four active readers, the issues).

const SAMPLE_FILES = {
  [ARTICLES.museum]: 'midnight-museum-tour.txt',
  [ARTICLES.vegetables]: 'ugly-vegetable-menu.txt',
  [ARTICLES.lighthouse]: 'mara-vell-lighthouse-cafe.txt',
  [ARTICLES.mornings]: 'five-minute-mornings.txt',
};
const READERS = [
  'reader1@example.com',
  'reader2@example.com',
  'reader3@example.com',
  'reader4@example.com',
];

let api: EditorApiServer;
const request = (method: string, path: string, sent?: Sent) => call(api.base, method, path, sent);

beforeAll(async () => {
  api = await startEditorApi();
});
afterAll(async () => {
  await api?.stop();
});

async function sampleText(file: string): Promise<string> {
  return readFile(join(SAMPLES, file), 'utf8');
}

/** The subscriber ids by address. */
async function subscriberIds(): Promise<Record<string, string>> {
  const listed = await request('GET', '/subscribers');
  return Object.fromEntries(
    (listed.body as { id: string; email: string }[]).map((s) => [s.email, s.id]),
  );
}

/** The unsubscribe token of a message's HTML. */
function tokenOf(html: string): string {
  const match = /\/unsubscribe\?token=([A-Za-z0-9._%-]+)/.exec(html);
  return decodeURIComponent(match?.[1] ?? '');
}

/** The address of the first unsubscribe link with a token in `html`. */
function unsubscribeHref(html: string): string {
  return /href="([^"]*\/unsubscribe\?token=[^"]*)"/.exec(html)?.[1] ?? '';
}

/** Asks `GET /issues/:id` until `holds`, or 30 s passed; the last report. */
async function reportUntil(issueId: string, holds: (report: IssueReport) => boolean) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { body } = await request('GET', `/issues/${issueId}`);
    if (holds(body) || Date.now() > deadline) return body as IssueReport;
    await sleep(250);
  }
}

/** The outbox's messages of `issueId` (or test messages of it), parsed. */
async function mailsOf(issueId: string, tag: 'issueId' | 'testOf' = 'issueId') {
  const dir = join(api.home, 'outbox');
  const found: { record: OutboxRecord; mail: ParsedMail }[] = [];
  for (const name of (await readdir(dir)).filter((each) => each.endsWith('.json'))) {
    const record = JSON.parse(await readFile(join(dir, name), 'utf8')) as OutboxRecord;
    if (record.tags[tag] !== issueId) continue;
    const mail = await simpleParser(await readFile(join(dir, name.replace(/\.json$/, '.eml'))));
    found.push({ record, mail });
  }
  return found;
}

describe('articles', () => {
  it('GET /articles lists nothing on a fresh state folder', async () => {
    const listed = await request('GET', '/articles');

    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([]);
  });

  it('POST /articles?dryRun=1 reads slideshow text and processes its photos, answers 200, and stores nothing', async () => {
    const text = await sampleText(SAMPLE_FILES[ARTICLES.museum]);

    const checked = await request(
      'POST',
      `/articles?dryRun=1&file=${SAMPLE_FILES[ARTICLES.museum]}`,
      {
        text,
      },
    );

    expect(checked.status).toBe(200);
    expect(checked.body.articles.map((a: { id: string }) => a.id)).toEqual([ARTICLES.museum]);
    expect(checked.body.images.length).toBeGreaterThan(0);
    expect(checked.body.images.every((image: { stored: boolean }) => image.stored)).toBe(true);
    expect((await request('GET', '/articles')).body).toEqual([]);
  });

  it('POST /articles stores each sample article with its photos (201), and GET /articles lists them', async () => {
    for (const [id, file] of Object.entries(SAMPLE_FILES)) {
      const stored = await request('POST', `/articles?file=${file}`, {
        text: await sampleText(file),
      });

      expect(stored.status).toBe(201);
      expect(stored.body.articles.map((a: { id: string }) => a.id)).toEqual([id]);
    }
    const listed = await request('GET', '/articles');
    expect(listed.body.map((a: { id: string }) => a.id).sort()).toEqual(
      Object.keys(SAMPLE_FILES).sort(),
    );
    // The photos now point at the media store.
    expect(JSON.stringify(listed.body)).toContain(`${api.config.publicBaseUrl}/media/`);
  });

  it('answers 422 naming the line of slideshow text the parser refuses', async () => {
    const refused = await request('POST', '/articles?file=broken.txt', {
      text: 'A Headline\n\nAn intro paragraph.\n\n  •\n',
    });

    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'article-file', line: 5 });
    expect(refused.body.error.message).toContain('broken.txt:5:');
  });

  it('answers 422 naming the JSON path of the field a JSON article gets wrong', async () => {
    const refused = await request('POST', '/articles', {
      json: { headline: 'Night trains', slides: [{ title: 42, paragraphs: [] }] },
    });

    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'article-file', field: '$.slides[0].title' });
  });

  it('answers 422 listing a photo outside the import folder, and stores nothing', async () => {
    const text =
      'Outside Photos\n\n../../outside.jpg\nA caption\nSam Ortiz/Coastline Photos\n\nAn intro paragraph.\n';

    const refused = await request('POST', '/articles?file=outside.txt', { text });

    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('article-images');
    expect(refused.body.error.details).toEqual([
      expect.objectContaining({
        line: 3,
        message: expect.stringContaining('outside the import folder'),
      }),
    ]);
    expect((await request('GET', '/articles')).body).toHaveLength(4);
  });

  it('answers 409 when the id derived from a headline belongs to a stored article with another headline', async () => {
    const text =
      'Inside the Midnight Museum Tour That Sold Out in Four Minutes!\n\nAn intro paragraph.\n';

    const refused = await request('POST', '/articles', { text });

    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('import-conflict');
    expect(refused.body.error.message).toContain(`id=${ARTICLES.museum}`);
  });

  it('answers 415 for a body that is neither text/plain nor JSON', async () => {
    const refused = await request('POST', '/articles', { text: 'GIF89a', type: 'image/gif' });

    expect(refused.status).toBe(415);
    expect(refused.body.error).toMatchObject({
      code: 'unsupported-media-type',
      field: 'content-type',
    });
  });

  it('answers 413 for a body over its 1 MiB limit, before reading it', async () => {
    const refused = await request('POST', '/articles', { text: 'x'.repeat(1024 * 1024 + 1) });

    expect(refused.status).toBe(413);
    expect(refused.body.error.code).toBe('body-too-large');
  });

  it('answers 400 naming a query parameter it does not know, or one it refuses', async () => {
    const unknown = await request('POST', '/articles?dry-run=1', { text: 'A\n\nB.\n' });
    const badId = await request('POST', '/articles?id=Not%20A%20Slug', { text: 'A\n\nB.\n' });

    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'invalid-input', field: 'dry-run' });
    expect(badId.status).toBe(400);
    expect(badId.body.error).toMatchObject({ code: 'invalid-input', field: 'id' });
  });
});

describe('subscribers', () => {
  it('POST /subscribers with a CSV imports its good rows and reports each bad one by line', async () => {
    const csv = [
      'email,name',
      ...READERS.map((address, i) => `${address},Reader ${i + 1}`),
      'not-an-address,Bad',
    ].join('\n');

    const imported = await request('POST', '/subscribers', { text: csv, type: 'text/csv' });

    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ rows: 4, added: { active: 4 }, stopped: false });
    expect(imported.body.errors).toEqual([
      { line: 6, message: expect.stringContaining('not an email address') },
    ]);
  });

  it('with strict=1 a bad row stops the import: 422 with each bad row by line, and nothing is added', async () => {
    const csv = 'email\nreader5@example.com\nstill-not-an-address\n';

    const refused = await request('POST', '/subscribers?strict=1', { text: csv, type: 'text/csv' });

    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'csv-rows', details: [{ line: 3 }] });
    expect(await subscriberIds()).not.toHaveProperty('reader5@example.com');
  });

  it('POST /subscribers with JSON refuses an invalid address by its path before adding any, then adds them', async () => {
    const refused = await request('POST', '/subscribers', {
      json: { subscribers: [{ email: 'reader6@example.com' }, { email: 'nope' }] },
    });

    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({
      code: 'invalid-input',
      field: 'subscribers[1].email',
    });
    expect(await subscriberIds()).not.toHaveProperty('reader6@example.com');

    const added = await request('POST', '/subscribers', {
      json: { subscribers: [{ email: 'reader6@example.com', name: 'Reader Six' }] },
    });

    expect(added.status).toBe(200);
    expect(added.body).toEqual([
      {
        subscriber: expect.objectContaining({
          email: 'reader6@example.com',
          name: 'Reader Six',
          status: 'active',
          source: 'editor',
        }),
        created: true,
      },
    ]);
  });

  it('GET /subscribers lists them, by status with ?status=, and GET /subscribers/export gives them as CSV', async () => {
    const all = await request('GET', '/subscribers');
    const pending = await request('GET', '/subscribers?status=pending');
    const exported = await request('GET', '/subscribers/export');

    expect(all.body.map((s: { email: string }) => s.email).sort()).toEqual([
      ...READERS,
      'reader6@example.com',
    ]);
    expect(pending.body).toEqual([]);
    expect(exported.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (exported.body as string).trimEnd().split('\r\n');
    expect(lines[0]).toBe('email,name,status,source,createdAt');
    expect(
      lines
        .slice(1)
        .map((line) => line.split(',')[0])
        .sort(),
    ).toEqual([...READERS, 'reader6@example.com']);
  });

  it('DELETE /subscribers/:id unsubscribes, and with forget=1 erases the address', async () => {
    const id = (await subscriberIds())['reader6@example.com'] as string;

    const removed = await request('DELETE', `/subscribers/${id}`);

    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ id, email: 'reader6@example.com', status: 'unsubscribed' });

    const forgotten = await request('DELETE', `/subscribers/${id}?forget=1`);

    expect(forgotten.status).toBe(200);
    expect(forgotten.body).toEqual({ id, forgotten: true, kept: 'unsubscribed' });
    expect(await subscriberIds()).not.toHaveProperty('reader6@example.com');
  });

  it('DELETE /subscribers/:id answers 404 for an unknown id and 400 for an address in the path', async () => {
    const unknown = await request('DELETE', '/subscribers/01JNOSUCHSUBSCRIBER0000000');
    const address = await request('DELETE', '/subscribers/reader1@example.com');

    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('subscriber-not-found');
    expect(address.status).toBe(400);
    expect(address.body.error.field).toBe('id');
    expect(await subscriberIds()).toHaveProperty('reader1@example.com');
  });
});

describe('preview of the next issue', () => {
  it('renders it for persona:none (the default) without storing it: no issueId, version or sha256, a test send’s unsubscribe link, and the findings of checkMessage', async () => {
    const preview = await request('GET', '/preview');

    expect(preview.status).toBe(200);
    expect(Object.keys(preview.body).sort()).toEqual(
      [
        'articleIds',
        'bytes',
        'checks',
        'from',
        'headers',
        'html',
        'preheader',
        'size',
        'subject',
        'text',
      ].sort(),
    );
    expect(preview.body.bytes).toBe(Buffer.byteLength(preview.body.html, 'utf8'));
    const { subject, preheader, html, text } = preview.body;
    expect(preview.body.checks).toEqual(
      checkMessage({ subject, preheader, html, text }, api.config),
    );
    const token = tokenOf(preview.body.html);
    expect(checkSubscriberToken(await api.linkKeys.current(), token, 'test')).toMatchObject({
      valid: true,
    });
    expect(checkSubscriberToken(await api.linkKeys.current(), token, 'unsubscribe')).toMatchObject({
      valid: false,
    });
    expect((await request('GET', '/issues')).body).toEqual([]);
  });

  it('gives the planned articles, the sender, htmlSize’s figures, and a persona’s headers with its link and a made-up address', async () => {
    const preview = await request('GET', '/preview?as=persona:long');
    const stored = (await request('GET', '/articles')).body.map((a: { id: string }) => a.id);

    expect(preview.status).toBe(200);
    expect(preview.body.articleIds.length).toBeGreaterThan(0);
    expect(stored).toEqual(expect.arrayContaining(preview.body.articleIds));
    expect(preview.body.from).toEqual({
      name: api.config.listName,
      address: api.config.fromEmail,
    });
    expect(preview.body.size).toEqual({
      bytes: preview.body.bytes,
      budget: api.config.htmlBudgetBytes,
      gmailClip: 102_400,
    });
    const headers = new Map<string, string>(preview.body.headers);
    expect(headers.get('To')).toBe('persona@example.invalid');
    expect(headers.get('Subject')).toBe(preview.body.subject);
    expect(headers.get('List-Unsubscribe')).toBe(`<${unsubscribeHref(preview.body.html)}>`);
    expect(headers.get('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
  });

  it('as=public gives the archive’s copy: the bare unsubscribe page, and no headers (it is not mailed)', async () => {
    const preview = await request('GET', '/preview?as=public');

    expect(preview.status).toBe(200);
    expect(preview.body.html).toContain(`href="${api.config.publicBaseUrl}/unsubscribe"`);
    expect(preview.body.html).not.toContain('/unsubscribe?token=');
    expect(preview.body.headers).toEqual([]);
  });

  it('at=TIME plans it as at that time, read in scheduleTimeZone: the issue is dated then', async () => {
    const preview = await request('GET', '/preview?at=2027-04-06T09:00&as=persona:rtl');

    expect(preview.status).toBe(200);
    expect(preview.body.html).toContain('April 6, 2027');
    expect((await request('GET', '/issues')).body).toEqual([]);
  });

  it('answers 400 naming `as`, `at`, or a parameter it does not know, and 404 for an unknown issue or subscriber', async () => {
    const badAs = await request('GET', '/preview?as=persona:tall');
    const badAt = await request('GET', '/preview?at=next%20friday');
    const both = await request(
      'GET',
      '/preview?issue=01JNOSUCHISSUE000000000000&at=2027-04-06T09:00',
    );
    const unknownParameter = await request('GET', '/preview?who=me');
    const noIssue = await request('GET', '/preview?issue=01JNOSUCHISSUE000000000000');
    const noSubscriber = await request('GET', '/subscribers/01JNOSUCHSUBSCRIBER0000000/preview');

    expect([badAs.status, badAs.body.error.field]).toEqual([400, 'as']);
    expect([badAt.status, badAt.body.error.field, badAt.body.error.code]).toEqual([
      400,
      'at',
      'invalid-time',
    ]);
    expect([both.status, both.body.error.field]).toEqual([400, 'at']);
    expect([unknownParameter.status, unknownParameter.body.error.field]).toEqual([400, 'who']);
    expect([noIssue.status, noIssue.body.error.code]).toEqual([404, 'issue-not-found']);
    expect([
      noSubscriber.status,
      noSubscriber.body.error.code,
      noSubscriber.body.error.field,
    ]).toEqual([404, 'subscriber-not-found', 'id']);
  });

  it('refuses a subscriber id in `as` with 400 naming GET /subscribers/:id/preview, and `as` on that route', async () => {
    const id = (await subscriberIds())['reader1@example.com'] as string;

    const asSubscriber = await request('GET', `/preview?as=${id}`);
    const asOnSubscriberRoute = await request('GET', `/subscribers/${id}/preview?as=public`);

    expect([asSubscriber.status, asSubscriber.body.error.field]).toEqual([400, 'as']);
    expect(asSubscriber.body.error.message).toContain('GET /subscribers/:id/preview');
    expect([asOnSubscriberRoute.status, asOnSubscriberRoute.body.error.field]).toEqual([400, 'as']);
  });
});

describe('the life of an issue', () => {
  let sentId: string;

  it('POST /issues drafts the next issue (201), reported as `issues draft --json` reports it; GET /issues lists it', async () => {
    const drafted = await request('POST', '/issues', { json: {} });

    expect(drafted.status).toBe(201);
    expect(drafted.body).toMatchObject({
      state: 'draft',
      version: 1,
      approved: false,
      recipients: 0,
    });
    expect(drafted.body.timeline).toEqual([
      expect.objectContaining({ actor: expect.stringMatching(/^cli:/), action: 'draft' }),
    ]);
    const listed = await request('GET', '/issues');
    expect(listed.body).toEqual([
      {
        issueId: drafted.body.issueId,
        state: 'draft',
        version: 1,
        sha256: drafted.body.sha256,
        subject: drafted.body.subject,
        createdAt: drafted.body.createdAt,
        articleIds: drafted.body.articleIds,
      },
    ]);
    sentId = drafted.body.issueId;
  });

  it('POST /issues answers 400 naming an unknown article by its place in articleIds', async () => {
    const refused = await request('POST', '/issues', {
      json: { articleIds: [ARTICLES.museum, 'no-such-article'] },
    });

    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'unknown-articles', field: 'articleIds[1]' });
  });

  it('POST /issues/:id/render makes the next version with the subject given, and refuses a subject too long by its field', async () => {
    const rendered = await request('POST', `/issues/${sentId}/render`, {
      json: { subject: 'Four stories for Friday', preheader: 'Museums at midnight, and more' },
    });
    const tooLong = await request('POST', `/issues/${sentId}/render`, {
      json: { subject: 'x'.repeat(79) },
    });

    expect(rendered.status).toBe(200);
    expect(rendered.body).toMatchObject({ version: 2, subject: 'Four stories for Friday' });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error).toMatchObject({ code: 'invalid-input', field: 'subject' });
    expect((await request('GET', `/issues/${sentId}`)).body.version).toBe(2);
  });

  it('GET /subscribers/:id/preview?issue=ID gives the draft’s version and sha256, and that subscriber’s own unsubscribe link', async () => {
    const id = (await subscriberIds())['reader1@example.com'] as string;
    const shown = (await request('GET', `/issues/${sentId}`)).body;

    const preview = await request('GET', `/subscribers/${id}/preview?issue=${sentId}`);

    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      issueId: sentId,
      version: 2,
      sha256: shown.sha256,
      subject: 'Four stories for Friday',
      preheader: 'Museums at midnight, and more',
    });
    expect(
      checkSubscriberToken(await api.linkKeys.current(), tokenOf(preview.body.html), 'unsubscribe'),
    ).toEqual({
      valid: true,
      subscriberId: id,
      issueId: sentId,
    });
  });

  it('POST /issues/:id/test mails the draft to each address as a test, and refuses a bad address by its place before sending any', async () => {
    const tested = await request('POST', `/issues/${sentId}/test`, {
      json: { to: ['reader1@example.com', 'editor@example.com'] },
    });
    const invalid = await request('POST', `/issues/${sentId}/test`, {
      json: { to: ['editor@example.com', 'not an address'] },
    });
    const tooMany = await request('POST', `/issues/${sentId}/test`, {
      json: { to: Array.from({ length: 11 }, (_, i) => `editor${i}@example.com`) },
    });

    expect(tested.status).toBe(200);
    expect(tested.body).toMatchObject({ issueId: sentId, version: 2, sent: 2, recorded: true });
    expect([invalid.status, invalid.body.error.code, invalid.body.error.field]).toEqual([
      400,
      'invalid-address',
      'to[1]',
    ]);
    expect([tooMany.status, tooMany.body.error.code]).toEqual([400, 'too-many-addresses']);
    const tests = await mailsOf(sentId, 'testOf');
    expect(tests.map(({ record }) => record.destinations[0]).sort()).toEqual([
      'editor@example.com',
      'reader1@example.com',
    ]);
    expect(tests.every(({ mail }) => mail.subject === '[TEST] Four stories for Friday')).toBe(true);
  });

  it('approve, send with `at` (scheduled, and on GET /schedule), unschedule; `at` in the past and `rate` with `at` are refused by field', async () => {
    const approved = await request('POST', `/issues/${sentId}/approve`);
    const scheduled = await request('POST', `/issues/${sentId}/send`, {
      json: { at: '2099-01-02T09:00' },
    });
    const schedule = await request('GET', '/schedule');
    const unscheduled = await request('POST', `/issues/${sentId}/unschedule`);
    const past = await request('POST', `/issues/${sentId}/send`, {
      json: { at: '2001-01-01T09:00' },
    });
    const withRate = await request('POST', `/issues/${sentId}/send`, {
      json: { at: '2099-01-02T09:00', rate: 5 },
    });

    expect([approved.status, approved.body.approved]).toEqual([200, true]);
    expect(scheduled.status).toBe(200);
    expect(scheduled.body).toMatchObject({
      state: 'scheduled',
      scheduledAt: '2099-01-02T09:00:00.000Z',
    });
    expect(schedule.status).toBe(200);
    expect(
      schedule.body.filter((entry: { kind: string }) => entry.kind === 'recurring'),
    ).toHaveLength(5);
    expect(schedule.body.at(-1)).toEqual({
      at: '2099-01-02T09:00:00.000Z',
      atLocal: '2099-01-02T09:00:00+00:00',
      kind: 'issue',
      issueId: sentId,
    });
    expect([unscheduled.status, unscheduled.body.state]).toEqual([200, 'draft']);
    expect([past.status, past.body.error.field]).toEqual([400, 'at']);
    expect([withRate.status, withRate.body.error.field]).toEqual([400, 'rate']);
  });

  it('POST /issues/:id/send starts the draft and answers 202 at once; the local runtime then sends it to every active subscriber once', async () => {
    const started = await request('POST', `/issues/${sentId}/send`, { json: { rate: 20 } });

    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ issueId: sentId, state: 'sending', recipients: 4 });
    const done = await reportUntil(sentId, (report) => report.state === 'sent');
    expect(done).toMatchObject({ state: 'sent', sent: 4, queued: 0 });
    expect(await perAddress(api.home, sentId)).toEqual(
      Object.fromEntries(READERS.map((r) => [r, 1])),
    );
  });

  it('GET /subscribers/:id/preview?issue=ID of the sent issue is byte for byte the HTML part that subscriber was sent, with the List-Unsubscribe headers they got and without their address', async () => {
    const ids = await subscriberIds();
    const sent = await mailsOf(sentId);
    expect(sent).toHaveLength(4);

    for (const { record, mail } of sent) {
      const address = record.destinations[0] as string;
      const id = ids[address] as string;
      const preview = await request('GET', `/subscribers/${id}/preview?issue=${sentId}`);
      expect(preview.body.html).toBe(mail.html);
      expect(preview.body.subject).toBe(mail.subject);
      const listHeaders = (headers: [string, string][]) =>
        headers.filter(([name]) => name.startsWith('List-Unsubscribe'));
      expect(listHeaders(preview.body.headers)).toEqual(listHeaders(messageHeaderLines(mail)));
      expect(listHeaders(preview.body.headers)).toHaveLength(2);
      expect(JSON.stringify(preview.body)).not.toContain(address);
      expect(preview.body.headers).toContainEqual(['To', `subscriber ${id} (address not shown)`]);
    }
  });

  it('acting on the sent issue answers 409 naming its state, and changes nothing', async () => {
    const before = (await request('GET', `/issues/${sentId}`)).body;

    const render = await request('POST', `/issues/${sentId}/render`);
    const approve = await request('POST', `/issues/${sentId}/approve`);
    const resume = await request('POST', `/issues/${sentId}/resume`);

    for (const refused of [render, approve, resume]) {
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('issue-state');
      expect(refused.body.error.message).toContain('is sent');
    }
    const after = (await request('GET', `/issues/${sentId}`)).body;
    expect(after).toMatchObject({
      state: before.state,
      version: before.version,
      sha256: before.sha256,
      timeline: before.timeline,
    });
  });

  it('POST /issues answers 409 when every stored article is in an issue already, and so does the next issue’s preview', async () => {
    const drafted = await request('POST', '/issues', { json: {} });
    const preview = await request('GET', '/preview');

    expect([drafted.status, drafted.body.error.code]).toEqual([409, 'nothing-new']);
    expect([preview.status, preview.body.error.code]).toEqual([409, 'nothing-new']);
  });

  it('pause (200), resume (202) and cancel (202) a sending issue; meanwhile another start is 409 and an older draft of its articles is outdated (409)', async () => {
    const older = await request('POST', '/issues', { json: { articleIds: [ARTICLES.lighthouse] } });
    const other = await request('POST', '/issues', { json: { articleIds: [ARTICLES.museum] } });
    // Slow enough to be paused with recipients left, and its first message awaited.
    const slow = await request('POST', '/issues', { json: { articleIds: [ARTICLES.lighthouse] } });
    const slowId = slow.body.issueId as string;
    expect((await request('POST', `/issues/${slowId}/send`, { json: { rate: 0.5 } })).status).toBe(
      202,
    );
    for (
      let tries = 0;
      (await outboxRecords(api.home, slowId)).length === 0 && tries < 120;
      tries++
    ) {
      await sleep(100);
    }

    const paused = await request('POST', `/issues/${slowId}/pause`);
    const secondStart = await request('POST', `/issues/${other.body.issueId}/send`);
    const pausedAgain = await request('POST', `/issues/${slowId}/pause`);
    const resumed = await request('POST', `/issues/${slowId}/resume`, { json: { rate: 0.5 } });
    const cancelled = await request('POST', `/issues/${slowId}/cancel`);
    const outdated = await request('POST', `/issues/${older.body.issueId}/send`);

    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({
      state: 'paused',
      pausedBy: { actor: expect.stringMatching(/^cli:/) },
    });
    expect(typeof paused.body.inFlight).toBe('number');
    expect([secondStart.status, secondStart.body.error.code]).toEqual([409, 'issue-in-progress']);
    expect([pausedAgain.status, pausedAgain.body.error.code]).toEqual([409, 'issue-state']);
    expect([resumed.status, resumed.body.state]).toEqual([202, 'sending']);
    expect(cancelled.status).toBe(202);
    expect(cancelled.body.state).toBe('cancelled');
    expect([outdated.status, outdated.body.error.code]).toEqual([409, 'draft-outdated']);
    expect(outdated.body.error.message).toContain(slowId);
    const settled = await reportUntil(slowId, (report) => report.queued === 0);
    expect(settled).toMatchObject({ state: 'cancelled', queued: 0, recipients: 4 });
    expect(settled.sent).toBeGreaterThan(0);
  });

  it('cancelling a draft answers 200 at once; an unknown issue is 404 to every action', async () => {
    const draft = await request('POST', '/issues', { json: { articleIds: [ARTICLES.mornings] } });

    const cancelled = await request('POST', `/issues/${draft.body.issueId}/cancel`);

    expect([cancelled.status, cancelled.body.state]).toEqual([200, 'cancelled']);
    for (const action of [
      'render',
      'test',
      'approve',
      'send',
      'unschedule',
      'pause',
      'resume',
      'cancel',
    ]) {
      const json = action === 'test' ? { to: ['editor@example.com'] } : {};
      const refused = await request('POST', `/issues/01JNOSUCHISSUE000000000000/${action}`, {
        json,
      });
      expect([action, refused.status, refused.body.error.code]).toEqual([
        action,
        404,
        'issue-not-found',
      ]);
    }
    expect((await request('GET', '/issues/01JNOSUCHISSUE000000000000')).status).toBe(404);
  });
});

describe('requests the API refuses whatever the route', () => {
  it('refuses a change asked by a page of another site (403), and does nothing', async () => {
    const before = (await request('GET', '/issues')).body;

    const refused = await request('POST', '/issues', {
      json: { articleIds: [ARTICLES.museum] },
      headers: { origin: 'https://elsewhere.example', 'sec-fetch-site': 'cross-site' },
    });

    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('cross-site');
    expect((await request('GET', '/issues')).body).toEqual(before);
  });

  it('answers 404 in JSON for a route it does not have, and 413 for an action’s body over 8 KiB', async () => {
    const unknown = await request('GET', '/issues/01JNOSUCHISSUE000000000000/history');
    const large = await request('POST', '/issues/01JNOSUCHISSUE000000000000/approve', {
      json: { note: 'x'.repeat(8 * 1024) },
    });

    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'no-route']);
    expect([large.status, large.body.error.code]).toEqual([413, 'body-too-large']);
  });

  it('answers an unexpected failure with 500 and a generic message, and logs it without the address it quoted', async () => {
    const failing = await api.serveAlso({
      ...api.deps,
      check: () => {
        throw new Error('the checker choked on reader1@example.com');
      },
    });
    const [issue] = (await request('GET', '/issues')).body;
    const before = api.lines.length;

    const failed = await call(failing, 'GET', `/preview?issue=${issue.issueId}&as=persona:long`);

    expect(failed.status).toBe(500);
    expect(failed.body.error.code).toBe('internal');
    expect(failed.body.error.message).not.toContain('checker');
    expect(api.lines.slice(before)).toEqual([
      {
        level: 'error',
        message: 'editor api request failed',
        request: 'GET /preview',
        error: 'Error: the checker choked on [address]',
      },
    ]);
  });
});
