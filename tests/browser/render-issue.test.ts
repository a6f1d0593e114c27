import { mkdir, writeFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '#core/articles/article.ts';
import { composeIssue } from '#core/issues/compose-issue.ts';
import { personalize } from '#core/rendering/personalize.ts';
import { renderIssue } from '#core/rendering/render-issue.ts';
import { renderArticlePage } from '#core/rendering/render-page.ts';
import { loadPageTemplates, loadTemplates } from '#templates/load-templates.ts';
import {
  hostileArticle,
  hostileTextArticle,
  manyArticle,
  manyArticles,
  testSettings,
} from '../fixtures/render/issue-fixtures.ts';
import { artifacts, launchChromium } from './support/launch-chromium.ts';

let browser: Browser;
let articles: Article[];
let issueHtml: string;
let articlePageHtml: string;

beforeAll(async () => {
  articles = [hostileArticle(), hostileTextArticle(), ...manyArticles(12, 10)];
  const templates = await loadTemplates();
  const composed = await composeIssue({
    issueId: '01M8BDWP00R8Y3V5N7Q9T1W4BC',
    now: new Date('2026-11-26T09:00:00Z'),
    articles,
    issues: [],
    settings: testSettings,
    render: (view) => renderIssue(view, templates),
  });
  if (!composed) throw new Error('the fixtures gave no issue');
  issueHtml = personalize(composed.rendered, {
    unsubscribeUrl: 'https://news.example.com/unsubscribe?token=v1.AbCdEf0123456789',
    name: 'Ada',
  }).html;
  articlePageHtml = renderArticlePage(
    manyArticle(0, 10),
    { ...testSettings, timeZone: 'Europe/London' },
    await loadPageTemplates(),
  );
  await mkdir(artifacts, { recursive: true });
  await writeFile(`${artifacts}issue.html`, issueHtml);
  await writeFile(`${artifacts}article-page.html`, articlePageHtml);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/**
 * Opens `html` at `width` CSS pixels with every https://img.example.com photo answered by a
 * picture of the size the article gives (1200 × 800 when it gives none), and waits for the
 * photos; nothing else leaves the page.
 */
async function open(html: string, width: number): Promise<Page> {
  const sizes = new Map<string, { width: number; height: number }>();
  for (const article of articles) {
    const images = [...article.lead.images, ...article.slides.flatMap((s) => s.image ?? [])];
    for (const image of images) {
      if (image.url && image.width && image.height) {
        sizes.set(image.url, { width: image.width, height: image.height });
      }
    }
  }
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (!url.startsWith('https://img.example.com/')) return route.abort();
    const size = sizes.get(url) ?? { width: 1200, height: 800 };
    return route.fulfill({ status: 200, contentType: 'image/svg+xml', body: picture(url, size) });
  });
  await page.setContent(html, { waitUntil: 'load' });
  // Photos below the fold of a web page load lazily: load them all before measuring.
  await page.evaluate(
    "Promise.all([...document.images].map((img) => { img.loading = 'eager'; return img.decode().catch(() => undefined); }))",
  );
  return page;
}

/** A landscape-like picture, its colours drawn from its address. */
function picture(seed: string, { width, height }: { width: number; height: number }): string {
  let hash = 7;
  for (const character of seed) hash = (hash * 31 + character.charCodeAt(0)) >>> 0;
  const hue = hash % 360;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="hsl(${hue},55%,78%)"/><stop offset="1" stop-color="hsl(${(hue + 30) % 360},45%,52%)"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/><circle cx="${width * 0.72}" cy="${height * 0.3}" r="${Math.min(width, height) * 0.12}" fill="hsl(45,90%,85%)"/><path d="M0 ${height * 0.78} Q ${width * 0.3} ${height * 0.6} ${width * 0.6} ${height * 0.74} T ${width} ${height * 0.68} V ${height} H 0 Z" fill="hsl(${(hue + 200) % 360},35%,30%)"/></svg>`;
}

/** Runs in the page: what a reader would notice about size, type, targets and contrast. */
const inspect = `(() => {
  const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden' && getComputedStyle(el).opacity !== '0';
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
  const texts = [];
  const undeclared = [];
  for (const el of document.body.querySelectorAll('*')) {
    const own = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim();
    if (!own || !visible(el)) continue;
    const style = getComputedStyle(el);
    const fg = luminance(rgb(style.color));
    const bg = luminance(background(el));
    const contrast = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    texts.push({ text: own.slice(0, 60), length: own.length, fontSize: parseFloat(style.fontSize), contrast });
    if (!declares(el, 'color') || !declares(el, 'background-color')) undeclared.push(own.slice(0, 60));
  }
  const links = [...document.querySelectorAll('a[href]')].filter(visible).map((a) => ({
    text: a.textContent.trim().slice(0, 40), height: a.getBoundingClientRect().height,
  }));
  const images = [...document.querySelectorAll('img')].filter(visible).map((img) => {
    const box = img.getBoundingClientRect();
    const column = img.parentElement.getBoundingClientRect();
    return {
      src: img.src, loaded: img.complete && img.naturalWidth > 0,
      left: box.left, right: box.right, width: box.width, height: box.height,
      columnWidth: column.width, naturalRatio: img.naturalHeight / img.naturalWidth,
    };
  });
  return {
    innerWidth: window.innerWidth,
    scrollWidth: document.scrollingElement.scrollWidth,
    texts, links, images, undeclared,
  };
})()`;

interface Report {
  /** Texts whose colour or background comes from the client, not from the email. */
  undeclared: string[];
  innerWidth: number;
  scrollWidth: number;
  texts: { text: string; length: number; fontSize: number; contrast: number }[];
  links: { text: string; height: number }[];
  images: {
    src: string;
    loaded: boolean;
    left: number;
    right: number;
    width: number;
    height: number;
    columnWidth: number;
    naturalRatio: number;
  }[];
}

describe.each([600, 375])('an issue of many and hostile articles at %i px', (width) => {
  let report: Report;

  beforeAll(async () => {
    const page = await open(issueHtml, width);
    report = (await page.evaluate(inspect)) as Report;
    await page.screenshot({ path: `${artifacts}issue-${width}.png`, fullPage: true });
    await page.close();
  });

  it('never scrolls sideways', () => {
    expect(report.scrollWidth).toBeLessThanOrEqual(report.innerWidth);
  });

  it('fits every photo inside the page, keeping its proportions', () => {
    expect(report.images.length).toBeGreaterThan(20);
    for (const image of report.images) {
      expect(image.loaded, image.src).toBe(true);
      expect(image.left, image.src).toBeGreaterThanOrEqual(0);
      expect(image.right, image.src).toBeLessThanOrEqual(report.innerWidth);
      expect(image.width, image.src).toBeLessThanOrEqual(image.columnWidth + 0.5);
      expect(image.height / image.width, image.src).toBeCloseTo(image.naturalRatio, 1);
    }
  });

  it('sets body text at 16px or more and no text below 14px', () => {
    const bytesBySize = new Map<number, number>();
    for (const { fontSize, length } of report.texts) {
      bytesBySize.set(fontSize, (bytesBySize.get(fontSize) ?? 0) + length);
    }
    const [bodySize] = [...bytesBySize.entries()].sort((a, b) => b[1] - a[1])[0] ?? [0];
    expect(bodySize).toBeGreaterThanOrEqual(16);
    const small = report.texts.filter((text) => text.fontSize < 14);
    expect(small).toEqual([]);
  });

  it('gives every link a tap target at least 44px high', () => {
    expect(report.links.length).toBeGreaterThan(10);
    const short = report.links.filter((link) => link.height < 44);
    expect(short).toEqual([]);
  });

  it('keeps every text at a contrast of 4.5:1 or more', () => {
    const faint = report.texts.filter((text) => text.contrast < 4.5);
    expect(faint).toEqual([]);
  });
});

describe('an issue on a phone', () => {
  let report: Report;

  beforeAll(async () => {
    const page = await open(issueHtml, 375);
    report = (await page.evaluate(inspect)) as Report;
    await page.close();
  });

  it('shows every photo the full width of the column', () => {
    expect(report.images.length).toBeGreaterThan(20);
    for (const image of report.images) {
      expect(image.width, image.src).toBeCloseTo(image.columnWidth, 0);
    }
  });
});

describe('an issue in the forced dark mode of mail apps', () => {
  let report: Report;

  beforeAll(async () => {
    // Chromium's forced dark inverts light pages as Gmail's apps do; the screenshot is for
    // people to look at.
    const dark = await launchChromium(['--enable-features=WebContentsForceDark']);
    const page = await dark.newPage({ viewport: { width: 375, height: 900 }, colorScheme: 'dark' });
    await page.route('**/*', (route) => route.abort());
    await page.setContent(issueHtml, { waitUntil: 'load' });
    report = (await page.evaluate(inspect)) as Report;
    await page.screenshot({ path: `${artifacts}issue-375-dark.png`, fullPage: true });
    await dark.close();
  });

  it('sets its own colour and background on every text, so that inversion keeps them apart', () => {
    expect(report.texts.length).toBeGreaterThan(100);
    expect(report.undeclared).toEqual([]);
  });
});

describe('the archive page of a whole article at 375 px', () => {
  let report: Report;

  beforeAll(async () => {
    const page = await open(articlePageHtml, 375);
    report = (await page.evaluate(inspect)) as Report;
    await page.screenshot({ path: `${artifacts}article-page-375.png`, fullPage: true });
    await page.close();
  });

  it('never scrolls sideways and fits every photo', () => {
    expect(report.scrollWidth).toBeLessThanOrEqual(report.innerWidth);
    expect(report.images).toHaveLength(9);
    for (const image of report.images) {
      expect(image.right, image.src).toBeLessThanOrEqual(report.innerWidth);
      expect(image.height / image.width, image.src).toBeCloseTo(image.naturalRatio, 1);
    }
  });

  it('keeps every text at a contrast of 4.5:1 or more', () => {
    expect(report.texts.filter((text) => text.contrast < 4.5)).toEqual([]);
  });
});
