import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TemplateError } from '#core/rendering/template-error.ts';
import {
  loadConfirmationTemplates,
  loadPageTemplates,
  loadTemplates,
} from '#templates/load-templates.ts';

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

describe('loadPageTemplates', () => {
  it('reads every page, their partials and the one stylesheet', async () => {
    const templates = await loadPageTemplates();

    expect(Object.keys(templates.pages).sort()).toEqual([
      'article',
      'check-inbox',
      'confirm',
      'leave-link-form',
      'not-found',
      'problem',
      'subscribe',
      'subscribed',
      'unsubscribe',
      'unsubscribed',
    ]);
    expect(templates.pages.article).toContain('{{> page-start');
    expect(templates.pages['not-found']).toContain('{{> page-end}}');
    expect(Object.keys(templates.partials)).toEqual(
      expect.arrayContaining(['page-start', 'page-end', 'figure']),
    );
    expect(templates.stylesheet).toContain('.masthead');
  });
});

describe('loadConfirmationTemplates', () => {
  it('names the command that builds the HTML when a folder lacks it', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'confirmation-'));

    const loading = loadConfirmationTemplates(folder);

    await expect(loading).rejects.toThrow(TemplateError);
    await expect(loading).rejects.toThrow(/templates\/build-templates\.ts/);
    await rm(folder, { recursive: true });
  });
});
