import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTICLES } from '../support/issue-cli.ts';
import { type EventStream, openEventStream } from './event-stream.ts';
import { fromPage, SAMPLES, type StudioHarness, startStudioHarness } from './studio-harness.ts';

// The local outbox as the page reads it, and the `issue` events of changes and of a send.

let harness: StudioHarness;
let events: EventStream;
let draftId: string;
const MUSEUM_FILE = 'midnight-museum-tour.txt';

beforeAll(async () => {
  harness = await startStudioHarness();
  events = await openEventStream(harness.base);
  const text = await readFile(join(SAMPLES, MUSEUM_FILE), 'utf8');
  const imported = await fromPage(harness, 'POST', `/api/articles?file=${MUSEUM_FILE}`, { text });
  expect(imported.status).toBe(201);
  const readers = ['reader1@example.com', 'reader2@example.com'].map((email) => ({ email }));
  const added = await fromPage(harness, 'POST', '/api/subscribers', {
    json: { subscribers: readers },
  });
  expect(added.status).toBe(200);
});
afterAll(async () => {
  events?.close();
  await harness?.stop();
});

describe('issue events', () => {
  it('a draft made through the studio is followed by an issue event with its report', async () => {
    const mark = events.received.length;

    const drafted = await fromPage(harness, 'POST', '/api/issues', {
      json: { articleIds: [ARTICLES.museum] },
    });
    draftId = drafted.body.issueId;
    const report = await events.next('issue', (data) => data.issueId === draftId, { from: mark });

    expect(drafted.status).toBe(201);
    expect(report).toMatchObject({ issueId: draftId, state: 'draft', version: 1 });
  });
});

describe('the outbox', () => {
  let messageId: string;

  it('GET /outbox lists a test send, newest first, with its subject and address', async () => {
    const tested = await fromPage(harness, 'POST', `/api/issues/${draftId}/test`, {
      json: { to: ['editor@example.com'] },
    });
    const listed = await fromPage(harness, 'GET', '/outbox');

    expect(tested.status).toBe(200);
    expect(listed.status).toBe(200);
    expect(listed.body).toHaveLength(1);
    const [entry] = listed.body;
    expect(entry.to).toEqual(['editor@example.com']);
    expect(entry.subject).toMatch(/^\[TEST\] /);
    expect(entry.tags.testOf).toBe(draftId);
    expect(Date.parse(entry.at)).not.toBeNaN();
    messageId = entry.id;
  });

  it('GET /outbox/:id answers the message parsed as a mail client shows it: headers, subject, addresses, its HTML and text', async () => {
    const preview = await fromPage(harness, 'GET', `/api/preview?issue=${draftId}`);

    const message = await fromPage(harness, 'GET', `/outbox/${messageId}`);

    expect(message.status).toBe(200);
    expect(message.body.id).toBe(messageId);
    expect(message.body.subject).toBe(`[TEST] ${preview.body.subject}`);
    expect(message.body.to).toBe('editor@example.com');
    expect(message.body.from).toContain('digest@example.com');
    expect(message.body.headers).toContainEqual(['Subject', message.body.subject]);
    expect(message.body.html).toMatch(/^<!doctype html>/i);
    expect(message.body.html).toContain('Inside the Midnight Museum Tour');
    expect(message.body.text).toContain('Inside the Midnight Museum Tour');
  });

  it('lists the newest first once there are more', async () => {
    await fromPage(harness, 'POST', `/api/issues/${draftId}/test`, {
      json: { to: ['second@example.com'] },
    });

    const listed = await fromPage(harness, 'GET', '/outbox');
    const limited = await fromPage(harness, 'GET', '/outbox?limit=1');

    expect(listed.body.map((entry: { to: string[] }) => entry.to[0])).toEqual([
      'second@example.com',
      'editor@example.com',
    ]);
    expect(limited.body.map((entry: { to: string[] }) => entry.to[0])).toEqual([
      'second@example.com',
    ]);
  });

  it('refuses an id that is not an outbox name (a path out of the folder) with 400, and an unknown one with 404', async () => {
    const traversal = await fromPage(harness, 'GET', '/outbox/..%2F..%2Fservices.json');
    const withDot = await fromPage(harness, 'GET', '/outbox/services.json');
    const unknown = await fromPage(harness, 'GET', '/outbox/20300101T000000000Z-000000-none');

    expect([traversal.status, traversal.body.error.field]).toEqual([400, 'id']);
    expect([withDot.status, withDot.body.error.field]).toEqual([400, 'id']);
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'message-not-found']);
  });
});

describe('issue events of a send', () => {
  it('follows a send through the studio with issue events until it is sent', async () => {
    const mark = events.received.length;

    const started = await fromPage(harness, 'POST', `/api/issues/${draftId}/send`);
    const sent = await events.next(
      'issue',
      (data) => data.issueId === draftId && data.state === 'sent',
      { from: mark, waitMs: 30_000 },
    );
    const reports = events.received.slice(mark).filter((each) => each.event === 'issue');

    expect(started.status).toBe(202);
    expect(reports.some((each) => each.data.state === 'sending')).toBe(true);
    expect(sent.sent).toBe(2);
  });
});
