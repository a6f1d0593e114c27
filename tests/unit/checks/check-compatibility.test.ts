import { describe, expect, it } from 'vitest';
import type { CaniemailSupport } from '#core/checks/caniemail/read-caniemail.ts';
import { checkCompatibility } from '#core/checks/check-compatibility.ts';
import { parseHtml } from '#core/checks/parse-html.ts';

const page = (body: string, head = '') =>
  parseHtml(`<!doctype html><html><head>${head}</head><body>${body}</body></html>`);
const flexRow = page('<div class="row" style="display:flex;color:#1f1f1f">Two columns</div>');

describe('checkCompatibility with the vendored caniemail data', () => {
  it('warns that Outlook for Windows lacks display:flex, naming the element', () => {
    const checks = checkCompatibility(flexRow, { compatibilityClients: ['outlook.windows'] });

    expect(checks.filter((check) => check.rule === 'css-display-flex')).toEqual([
      {
        rule: 'css-display-flex',
        severity: 'warning',
        message: expect.stringContaining('display:flex is not supported by Outlook (Windows)'),
        client: 'Outlook (Windows)',
        where: 'display:flex on <div class="row">',
      },
    ]);
  });

  it('says nothing about display:flex for Apple Mail, which supports it', () => {
    const checks = checkCompatibility(flexRow, { compatibilityClients: ['apple-mail'] });

    expect(checks.filter((check) => check.rule === 'css-display-flex')).toEqual([]);
  });

  it("reports Gmail's partial support as an info naming the platforms concerned", () => {
    const checks = checkCompatibility(flexRow, { compatibilityClients: ['gmail'] });

    expect(checks.find((check) => check.rule === 'css-display-flex')).toMatchObject({
      severity: 'info',
      client: 'Gmail',
      message: expect.stringMatching(
        /^display:flex is only partly supported by Gmail \(iOS, Android\)\./,
      ),
    });
  });

  it('finds features in <style>: media features, pseudo-classes, units', () => {
    const document = page(
      '<p>Hi</p>',
      '<style>@media (prefers-color-scheme: dark) { p { font-size: 1.2rem } } a:hover { color: red }</style>',
    );

    const rules = checkCompatibility(document, { compatibilityClients: ['outlook.windows'] }).map(
      (check) => check.rule,
    );

    expect(rules).toEqual(
      expect.arrayContaining([
        'css-at-media-prefers-color-scheme',
        'css-pseudo-class-hover',
        'css-unit-rem',
      ]),
    );
  });

  it('reads neither text-transform as transform nor <tbody> as <body>', () => {
    const document = parseHtml(
      '<table><tbody><tr><td style="text-transform:uppercase">Story</td></tr></tbody></table>',
    );

    const rules = checkCompatibility(document, { compatibilityClients: ['gmail', 'yahoo'] }).map(
      (check) => check.rule,
    );

    expect(rules).not.toContain('css-transform');
    expect(rules).not.toContain('html-body');
  });

  it('ignores the markup MJML keeps for Outlook inside <!--[if mso]> comments', () => {
    const document = page('<!--[if mso]><div style="display:flex">x</div><![endif]--><p>Hi</p>');

    const checks = checkCompatibility(document, { compatibilityClients: ['outlook.windows'] });

    expect(checks.map((check) => check.rule)).not.toContain('css-display-flex');
  });

  it('judges an image by the format its address ends with', () => {
    const document = page('<img src="https://img.example.com/a.webp?w=600" alt="A" width="600">');

    const checks = checkCompatibility(document, { compatibilityClients: ['outlook.windows'] });

    expect(checks.find((check) => check.rule === 'image-webp')).toMatchObject({
      severity: 'warning',
      where: '<img src="https://img.example.com/a.webp?…">',
    });
  });
});

describe('checkCompatibility with a given table', () => {
  const support: CaniemailSupport = {
    lastUpdate: '2026-01-01',
    families: { mailer: 'Mailer' },
    platforms: { web: 'Web', ios: 'iOS', android: 'Android' },
    features: {
      'css-opacity': {
        title: 'opacity',
        support: { 'mailer.web': 'n', 'mailer.ios': 'a #1', 'mailer.android': 'y' },
        notes: { 1: 'Partial. Only [whole](https://example.com/notes) values.' },
      },
      'css-color': {
        title: 'color',
        support: { 'mailer.web': 'u', 'mailer.ios': 'y' },
        notes: {},
      },
    },
  };
  const document = page('<p style="opacity:0.5;color:#000">A</p><p style="opacity:1">B</p>');

  it('reports each feature once per client, counting the other places it is used', () => {
    const checks = checkCompatibility(document, { compatibilityClients: ['mailer'] }, support);

    expect(checks).toEqual([
      {
        rule: 'css-opacity',
        severity: 'warning',
        message:
          'opacity is not supported by Mailer (Web), and only in part by Mailer (iOS): give it a fallback or do without it. caniemail: Partial. Only whole values.',
        client: 'Mailer',
        where: 'opacity:0.5 on <p> (and 1 more)',
      },
    ]);
  });

  it('judges one platform when the configuration names it', () => {
    const checks = checkCompatibility(document, { compatibilityClients: ['mailer.ios'] }, support);

    expect(checks).toEqual([
      expect.objectContaining({
        rule: 'css-opacity',
        severity: 'info',
        client: 'Mailer (iOS)',
        message:
          'opacity is only partly supported by Mailer (iOS). caniemail: Partial. Only whole values.',
      }),
    ]);
  });

  it('says nothing about support that is full or unknown', () => {
    const checks = checkCompatibility(
      document,
      { compatibilityClients: ['mailer.android'] },
      support,
    );

    expect(checks).toEqual([]);
  });
});
