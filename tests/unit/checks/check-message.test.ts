import { beforeAll, describe, expect, it } from 'vitest';
import { type CheckOptions, checkMessage } from '#core/checks/check-message.ts';
import { personalize } from '#core/rendering/personalize.ts';
import { renderIssue } from '#core/rendering/render-issue.ts';
import type { TemplateSet } from '#core/rendering/templates.ts';
import { loadTemplates } from '#templates/load-templates.ts';
import { sampleView } from '../../fixtures/render/sample-issue.ts';

const options: CheckOptions = {
  htmlBudgetBytes: 92_160,
  compatibilityClients: ['gmail', 'outlook.windows', 'apple-mail', 'yahoo'],
  postalAddress: sampleView().postalAddress,
};

let templates: TemplateSet;
beforeAll(async () => {
  templates = await loadTemplates();
});

describe('checkMessage', () => {
  it('sorts the findings of every check: errors, then warnings, then infos', () => {
    const html =
      '<html><body style="background-color:#ffffff"><div style="display:flex">' +
      '<p style="color:#aaaaaa">Faint</p><img src="https://img.example.com/a.jpg" width="100"></div></body></html>';

    const checks = checkMessage({ html, text: 'No footer', subject: 'S', preheader: 'P' }, options);

    const severities = checks.map((check) => check.severity);
    expect(severities).toEqual([...severities].sort((a, b) => rank(a) - rank(b)));
    expect(checks.map((check) => check.rule)).toEqual(
      expect.arrayContaining([
        'size',
        'css-display-flex',
        'image-alt',
        'unsubscribe-link',
        'contrast',
      ]),
    );
  });

  it('finds no error in the sample digest as a recipient gets it', async () => {
    const rendered = await renderIssue(sampleView(), templates);
    const { html, text } = personalize(rendered, {
      unsubscribeUrl: 'https://news.example.com/unsubscribe?token=v1.AbCdEf0123456789',
      name: 'Ada',
    });

    const checks = checkMessage(
      { html, text, subject: rendered.subject, preheader: rendered.preheader },
      options,
    );

    expect(checks.filter((check) => check.severity === 'error')).toEqual([]);
    expect(checks.filter((check) => !/^(css|html|image)-/.test(check.rule))).toEqual([
      expect.objectContaining({ rule: 'size', severity: 'info' }),
    ]);
  });

  it('takes the digest as rendered, markers still in, as having its unsubscribe link', async () => {
    const rendered = await renderIssue(sampleView(), templates);

    const checks = checkMessage(
      {
        html: rendered.html,
        text: rendered.text,
        subject: rendered.subject,
        preheader: rendered.preheader,
      },
      options,
    );

    expect(checks.map((check) => check.rule)).not.toContain('unsubscribe-link');
    expect(checks.map((check) => check.rule)).not.toContain('link-https');
  });
});

function rank(severity: string): number {
  return ['error', 'warning', 'info'].indexOf(severity);
}
