import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadArchiveTemplates, loadTemplates } from '#templates/load-templates.ts';

describe('loadTemplates', () => {
  it('names each partial after its file', async () => {
    const templates = await loadTemplates();

    expect(Object.keys(templates.partials)).toEqual(
      expect.arrayContaining([
        'mjml-article',
        'mjml-caption',
        'mjml-footer',
        'mjml-header',
        'mjml-photo',
        'text-article',
        'text-footer',
        'text-photo',
      ]),
    );
    expect(templates.digest).toContain('<mjml');
    expect(templates.text).toContain('{{> text-footer}}');
  });

  it('reads a folder given as a path without a trailing slash', async () => {
    const folder = fileURLToPath(new URL('../../../templates', import.meta.url));

    const templates = await loadTemplates(folder);

    expect(templates.digest).toContain('<mjml');
  });
});

describe('loadArchiveTemplates', () => {
  it('reads the article page, the not-found page and their page layout', async () => {
    const templates = await loadArchiveTemplates();

    expect(templates.article).toContain('{{> page-start');
    expect(templates.notFound).toContain('{{> page-end}}');
    expect(Object.keys(templates.partials)).toEqual(
      expect.arrayContaining(['page-start', 'page-end', 'figure']),
    );
  });
});
