import { beforeAll, describe, expect, it } from 'vitest';
import { renderIssue } from '#core/rendering/render-issue.ts';
import { TemplateError } from '#core/rendering/template-error.ts';
import type { TemplateSet } from '#core/rendering/templates.ts';
import { loadTemplates } from '#templates/load-templates.ts';
import { sampleView } from '../../fixtures/render/sample-issue.ts';

let templates: TemplateSet;
beforeAll(async () => {
  templates = await loadTemplates();
});

/** A one-section digest whose text block is `body`. */
function digestWith(body: string, partials: Record<string, string> = {}): TemplateSet {
  return {
    digest: `<mjml>
<mj-body>
<mj-section><mj-column><mj-text>
${body}
<a href="{{recipient 'unsubscribeUrl'}}">Unsubscribe</a>
</mj-text></mj-column></mj-section>
</mj-body>
</mjml>`,
    text: "{{recipient 'unsubscribeUrl'}}",
    partials,
  };
}

async function renderError(set: TemplateSet): Promise<TemplateError> {
  const error = await renderIssue(sampleView(), set).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(TemplateError);
  return error as TemplateError;
}

describe('renderIssue with a broken template', () => {
  it('names the template and line of a Handlebars syntax error', async () => {
    const error = await renderError(digestWith('{{#each articles}}\n<p>{{headline}}</p>'));

    expect(error.template).toBe('digest.mjml.hbs');
    expect(error.message).toMatch(/^digest\.mjml\.hbs:\d+: Parse error/);
  });

  it('names the partial and line of a misspelt field', async () => {
    const partial = '<p>\n{{headlin}}\n</p>';
    const set = digestWith('{{#each articles}}{{> headline}}{{/each}}', { headline: partial });

    const error = await renderError(set);

    expect(error.template).toBe('partials/headline.hbs');
    expect(error.line).toBe(2);
    expect(error.message).toContain('"headlin" not defined');
  });

  it('names the line of a misspelt field in a shipped partial', async () => {
    const broken = templates.partials['mjml-caption']?.replace('{{caption}}', '{{captoin}}');
    const set = { ...templates, partials: { ...templates.partials, 'mjml-caption': broken ?? '' } };

    const error = await renderError(set);

    expect(error.message).toMatch(/^partials\/mjml-caption\.hbs:7: .*"captoin" not defined/);
  });

  it('names the line of an unknown per-recipient field', async () => {
    const error = await renderError(digestWith("<p>\n{{recipient 'email'}}</p>"));

    expect(error.message).toMatch(/^digest\.mjml\.hbs:5: recipient: unknown field "email"/);
  });

  it('names the partial and line of invalid MJML', async () => {
    const set = {
      ...templates,
      partials: {
        ...templates.partials,
        'mjml-footer': '<mj-section>\n<mj-button>x</mj-button>\n</mj-section>',
      },
    };

    const error = await renderError(set);

    expect(error.template).toBe('partials/mjml-footer.hbs');
    expect(error.line).toBe(2);
    expect(error.message).toContain('mj-button cannot be used inside mj-section');
  });

  it('refuses a template that writes an article address without the https helper', async () => {
    const set = digestWith('{{#each articles}}<a href="{{headline}}">x</a>{{/each}}');

    const error = await renderError(set);

    expect(error.message).toContain('is not an https: address');
  });

  it('refuses a digest without an unsubscribe link', async () => {
    const set = { ...digestWith(''), text: 'No way out.' };

    const error = await renderError(set);

    expect(error.template).toBe('digest.txt.hbs');
    expect(error.message).toContain('no unsubscribe link');
  });

  it('refuses a per-recipient field that MJML drops between sections', async () => {
    const set = digestWith('');
    set.digest = set.digest.replace('</mj-section>', "</mj-section>\n{{recipient 'name'}}");

    const error = await renderError(set);

    expect(error.message).toContain("MJML dropped {{recipient 'name'}}");
  });
});
