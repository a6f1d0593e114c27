import { parse } from 'node-html-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { personalize } from '#core/rendering/personalize.ts';
import { renderIssue } from '#core/rendering/render-issue.ts';
import type { TemplateSet } from '#core/rendering/templates.ts';
import { loadTemplates } from '#templates/load-templates.ts';
import { sampleView } from '../../fixtures/render/sample-issue.ts';

// With trackEngagement SES rewrites every link of a message through its click tracking,
// except those whose anchor carries the attribute `ses:no-track`. The unsubscribe link holds
// the reader's own token: it must reach the reader untouched, and never be counted.

let templates: TemplateSet;
beforeAll(async () => {
  templates = await loadTemplates();
});

const UNSUBSCRIBE = 'https://news.example.com/unsubscribe?token=reader-token';

async function personalizedHtml(): Promise<string> {
  const rendered = await renderIssue(sampleView(), templates);
  return personalize(rendered, { unsubscribeUrl: UNSUBSCRIBE, name: 'Rea' }).html;
}

describe('the digest’s links and SES’s click tracking', () => {
  it('keeps ses:no-track on the unsubscribe link through MJML, minified', async () => {
    const html = await personalizedHtml();

    const unsubscribe = parse(html)
      .querySelectorAll('a')
      .filter((a) => a.getAttribute('href') === UNSUBSCRIBE);
    expect(unsubscribe).toHaveLength(1);
    expect(unsubscribe[0]?.hasAttribute('ses:no-track')).toBe(true);
    expect(html).toMatch(
      /<a href="https:\/\/news\.example\.com\/unsubscribe\?token=reader-token" ses:no-track[ >]/,
    );
  });

  it('leaves every other link to be tracked', async () => {
    const html = await personalizedHtml();

    const untracked = parse(html)
      .querySelectorAll('a')
      .filter((a) => a.hasAttribute('ses:no-track'))
      .map((a) => a.getAttribute('href'));
    const tracked = parse(html)
      .querySelectorAll('a[href^="https:"]')
      .filter((a) => !a.hasAttribute('ses:no-track'));
    expect(untracked).toEqual([UNSUBSCRIBE]);
    expect(tracked.length).toBeGreaterThan(1);
  });
});
