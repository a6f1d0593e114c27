import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTICLES } from '../support/issue-cli.ts';
import { type EventStream, openEventStream } from './event-stream.ts';
import { fromPage, SAMPLES, type StudioHarness, startStudioHarness } from './studio-harness.ts';

// Saved templates, configuration and article files, taken in by a running studio: each on
// temporary copies, so that the project's own files are never touched.

let harness: StudioHarness;
let events: EventStream;
let draftId: string;

const FOOTER = 'partials/mjml-footer.hbs';
const MUSEUM_FILE = 'midnight-museum-tour.txt';

/** Replaces `from` with `to` in a file of the studio's template copy, as an editor saves it. */
async function editTemplate(file: string, from: string, to: string): Promise<void> {
  const path = join(harness.templatesDir, file);
  const source = await readFile(path, 'utf8');
  expect(source).toContain(from);
  await writeFile(path, source.replace(from, to));
}

beforeAll(async () => {
  harness = await startStudioHarness({ articles: true });
  events = await openEventStream(harness.base);
  const text = await readFile(join(SAMPLES, MUSEUM_FILE), 'utf8');
  const imported = await fromPage(harness, 'POST', `/api/articles?file=${MUSEUM_FILE}`, { text });
  expect(imported.status).toBe(201);
  const drafted = await fromPage(harness, 'POST', '/api/issues', {
    json: { articleIds: [ARTICLES.museum] },
  });
  expect(drafted.status).toBe(201);
  draftId = drafted.body.issueId;
});
afterAll(async () => {
  events?.close();
  await harness?.stop();
});

describe('templates', () => {
  it('a saved template gives templates-changed naming the file, and the next /api/preview renders with it', async () => {
    const before = await fromPage(harness, 'GET', '/api/preview?at=2030-01-01T09:00');
    const mark = events.received.length;

    await editTemplate(FOOTER, 'You receive this email', 'STUDIO-MARK-1 You receive this email');
    const changed = await events.next('templates-changed', () => true, { from: mark });
    const after = await fromPage(harness, 'GET', '/api/preview?at=2030-01-01T09:00');

    expect(before.status).toBe(200);
    expect(before.body.html).not.toContain('STUDIO-MARK-1');
    expect(changed.files).toEqual([FOOTER]);
    expect(Date.parse(changed.at)).not.toBeNaN();
    expect(after.status).toBe(200);
    expect(after.body.html).toContain('STUDIO-MARK-1');
  });

  it('leaves a draft with the render it was frozen with', async () => {
    const stored = await fromPage(harness, 'GET', `/api/preview?issue=${draftId}`);

    expect(stored.status).toBe(200);
    expect(stored.body.html).not.toContain('STUDIO-MARK-1');
  });

  it('renders the next version of a draft with the saved templates', async () => {
    const rendered = await fromPage(harness, 'POST', `/api/issues/${draftId}/render`, { json: {} });
    const stored = await fromPage(harness, 'GET', `/api/preview?issue=${draftId}`);

    expect(rendered.status).toBe(200);
    expect(stored.body.html).toContain('STUDIO-MARK-1');
  });

  it('a broken template gives /api/preview 422 template, naming the file and the line', async () => {
    const mark = events.received.length;

    await editTemplate(
      FOOTER,
      '{{postalAddress}}</p>',
      '{{#if postalAddress}}{{postalAddress}}</p>',
    );
    await events.next('templates-changed', (data) => data.files.includes(FOOTER), { from: mark });
    const broken = await fromPage(harness, 'GET', '/api/preview?at=2030-01-01T09:00');

    expect(broken.status).toBe(422);
    expect(broken.body.error.code).toBe('template');
    expect(broken.body.error.template).toBe(FOOTER);
    expect(broken.body.error.line).toBeGreaterThan(0);
  });

  it('renders again once the template is mended', async () => {
    const mark = events.received.length;

    await editTemplate(
      FOOTER,
      '{{#if postalAddress}}{{postalAddress}}</p>',
      '{{postalAddress}}</p>',
    );
    await events.next('templates-changed', (data) => data.files.includes(FOOTER), { from: mark });
    const mended = await fromPage(harness, 'GET', '/api/preview?at=2030-01-01T09:00');

    expect(mended.status).toBe(200);
  });
});

describe('the configuration', () => {
  it('a saved configuration file gives templates-changed naming it, and the next /api/preview uses it', async () => {
    const config = JSON.parse(await readFile(harness.configFile, 'utf8'));
    const mark = events.received.length;

    await writeFile(
      harness.configFile,
      JSON.stringify({ ...config, listName: 'The Studio Slide' }),
    );
    const changed = await events.next('templates-changed', () => true, { from: mark });
    const after = await fromPage(harness, 'GET', '/api/preview?at=2030-01-01T09:00');

    expect(changed.files).toEqual(['newsletter.config.json']);
    expect(changed.error).toBeUndefined();
    expect(after.body.html).toContain('The Studio Slide');
  });

  it('keeps the configuration it has when the saved file is not valid, and says why', async () => {
    const mark = events.received.length;

    await writeFile(harness.configFile, '{ "listName": ');
    const changed = await events.next('templates-changed', () => true, { from: mark });
    const after = await fromPage(harness, 'GET', '/api/preview?at=2030-01-01T09:00');

    expect(changed.error.message).toMatch(/configuration was not reloaded.*not valid JSON/s);
    expect(after.status).toBe(200);
    expect(after.body.html).toContain('The Studio Slide');
  });
});

describe('--articles', () => {
  it('a saved article file is imported again: articles-changed names it, and the stored article has the change', async () => {
    const path = join(harness.articlesDir as string, MUSEUM_FILE);
    const text = await readFile(path, 'utf8');
    const mark = events.received.length;

    await writeFile(
      path,
      text.replace('Tickets vanished almost instantly.', 'Tickets vanished in STUDIO-MARK-2.'),
    );
    const changed = await events.next('articles-changed', () => true, { from: mark });
    const articles = await fromPage(harness, 'GET', '/api/articles');

    expect(changed.imported).toEqual([ARTICLES.museum]);
    expect(JSON.stringify(articles.body)).toContain('Tickets vanished in STUDIO-MARK-2.');
  });

  it('a saved file the import refuses gives articles-changed with the error, its file and line', async () => {
    const mark = events.received.length;

    await writeFile(join(harness.articlesDir as string, 'broken.txt'), 'A headline alone\n');
    const changed = await events.next('articles-changed', () => true, { from: mark });

    expect(changed.imported).toBeUndefined();
    expect(changed.error).toMatchObject({ file: 'broken.txt', line: 1 });
    expect(changed.error.message).toContain('no slide');
  });
});
