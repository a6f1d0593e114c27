import { mkdir } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personalize } from '#core/rendering/personalize.ts';
import { renderIssue } from '#core/rendering/render-issue.ts';
import { loadTemplates } from '#templates/load-templates.ts';
import { sampleView } from '../fixtures/render/sample-issue.ts';
import { artifacts, launchChromium } from './support/launch-chromium.ts';

// The editor's note as a reader sees it: above the first story, as readable as the stories,
// on a phone and on a desktop, and in the forced dark mode of mail apps.

const intro = [
  'Dear readers,',
  '',
  'the harbour froze over this week, for the first time in thirty years. Our photographer',
  'walked out to the lighthouse on the ice; her pictures are in the first story.',
  '',
  `Tell us what you saw: https://news.example.com/letters?from=digest&topic=${'ice'.repeat(30)}`,
  '',
  '— Ada, editor',
].join('\n');

let browser: Browser;
let html: string;

beforeAll(async () => {
  const rendered = await renderIssue({ ...sampleView(), intro }, await loadTemplates());
  html = personalize(rendered, {
    unsubscribeUrl: 'https://news.example.com/unsubscribe?token=v1.AbCdEf0123456789',
    name: 'Ada',
  }).html;
  await mkdir(artifacts, { recursive: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

interface NoteReport {
  innerWidth: number;
  scrollWidth: number;
  /** Each paragraph of the note (its heading first), then the first story's kicker. */
  blocks: {
    text: string;
    top: number;
    bottom: number;
    right: number;
    fontSize: number;
    contrast: number;
    declared: boolean;
  }[];
}

/** Runs in the page: where the note's paragraphs and the first story lie, and how they read. */
const inspect = `(() => {
  const rgb = (value) => (value.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const channel = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const background = (el) => {
    for (let node = el; node; node = node.parentElement) {
      const [r, g, b, a] = rgb(getComputedStyle(node).backgroundColor);
      if (a === undefined || a > 0) return [r, g, b];
    }
    return [255, 255, 255];
  };
  const declares = (el, property) => {
    for (let node = el; node && node !== document.documentElement; node = node.parentElement) {
      if (node.style && node.style.getPropertyValue(property)) return true;
    }
    return false;
  };
  const paragraphs = [...document.querySelectorAll('p')];
  const heading = paragraphs.findIndex((p) => p.textContent.trim() === 'From the editor');
  const story = paragraphs.findIndex((p) => /^Story 1 of/.test(p.textContent.trim()));
  const blocks = paragraphs.slice(heading, story + 1).map((p) => {
    const box = p.getBoundingClientRect();
    const style = getComputedStyle(p);
    const fg = luminance(rgb(style.color));
    const bg = luminance(background(p));
    return {
      text: p.textContent.trim(), top: box.top, bottom: box.bottom, right: box.right,
      fontSize: parseFloat(style.fontSize),
      contrast: (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05),
      declared: declares(p, 'color') && declares(p, 'background-color'),
    };
  });
  return { innerWidth: window.innerWidth, scrollWidth: document.scrollingElement.scrollWidth, blocks };
})()`;

describe.each([600, 375])('an issue with an editor’s note at %i px', (width) => {
  let report: NoteReport;

  beforeAll(async () => {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    report = (await page.evaluate(inspect)) as NoteReport;
    await page.screenshot({ path: `${artifacts}issue-intro-${width}.png`, fullPage: true });
    await page.close();
  });

  it('shows the heading and each paragraph of the note, in order, above the first story', () => {
    expect(report.blocks.map((block) => block.text.replace(/\s+/g, ' '))).toEqual([
      'From the editor',
      'Dear readers,',
      expect.stringMatching(/^the harbour froze over .* in the first story\.$/),
      expect.stringMatching(/^Tell us what you saw: https:\/\/news\.example\.com\/letters\?/),
      '— Ada, editor',
      'Story 1 of 2',
    ]);
    const tops = report.blocks.map((block) => block.top);
    expect(tops).toEqual([...tops].sort((a, b) => a - b));
    for (const [index, block] of report.blocks.slice(1).entries()) {
      expect(block.top, block.text).toBeGreaterThanOrEqual(report.blocks[index]?.bottom ?? 0);
    }
  });

  it('sets the note at body size and its heading no smaller than 14px', () => {
    const [heading, ...paragraphs] = report.blocks.slice(0, -1);

    expect(heading?.fontSize).toBeGreaterThanOrEqual(14);
    for (const paragraph of paragraphs) {
      expect(paragraph.fontSize, paragraph.text).toBeGreaterThanOrEqual(16);
    }
  });

  it('keeps the note at a contrast of 4.5:1 or more, with its own colours', () => {
    for (const block of report.blocks) {
      expect(block.contrast, block.text).toBeGreaterThanOrEqual(4.5);
      expect(block.declared, block.text).toBe(true);
    }
  });

  it('breaks a long address in the note instead of scrolling sideways', () => {
    expect(report.scrollWidth).toBeLessThanOrEqual(report.innerWidth);
    for (const block of report.blocks) {
      expect(block.right, block.text).toBeLessThanOrEqual(report.innerWidth);
    }
  });
});
