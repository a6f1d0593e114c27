import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadTemplates } from '#templates/load-templates.ts';

describe('loadTemplates', () => {
  it('names each partial after its file', async () => {
    const templates = await loadTemplates();

    expect(Object.keys(templates.partials)).toEqual(
      expect.arrayContaining([
        'mjml-article',
        'mjml-caption',
        'mjml-footer',
        'mjml-image',
        'text-article',
      ]),
    );
    expect(templates.digest).toContain('<mjml');
    expect(templates.text).toContain('{{> text-footer}}');
  });

  it('reads a folder given as a path without a trailing slash', async () => {
    const folder = fileURLToPath(new URL('../../templates', import.meta.url));

    const templates = await loadTemplates(folder);

    expect(templates.digest).toContain('<mjml');
  });
});
