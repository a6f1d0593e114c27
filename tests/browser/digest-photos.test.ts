import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Article, Image } from '#core/articles/article.ts';
import { composeIssue } from '#core/issues/compose-issue.ts';
import { weighImages } from '#core/issues/weigh-images.ts';
import { mediaBaseUrlOf } from '#core/media/media-url.ts';
import { personalize } from '#core/rendering/personalize.ts';
import { renderIssue } from '#core/rendering/render-issue.ts';
import { renderArticlePage } from '#core/rendering/render-page.ts';
import { loadPageTemplates, loadTemplates } from '#templates/load-templates.ts';
import { testSettings } from '../fixtures/render/issue-fixtures.ts';
import { MemoryMediaStore } from '../unit/fakes/memory-media-store.ts';
import { artifacts, launchChromium } from './support/launch-chromium.ts';

// Real photos (made with sharp) served over HTTP from 127.0.0.1, as `newsletter serve` serves
// the media locally: the digest must load every one and fit it to the column.

/** The photos, by shape: pixels, format, and whether the article knows their size. */
const shapes = [
  { name: 'landscape', width: 1200, height: 800, format: 'jpeg', measured: true },
  { name: 'portrait', width: 900, height: 1350, format: 'jpeg', measured: true },
  { name: 'small', width: 400, height: 300, format: 'png', measured: true },
  { name: 'wide', width: 1600, height: 600, format: 'jpeg', measured: true },
  // A photo whose size the article does not give: shown at the column's width.
  { name: 'unmeasured', width: 1000, height: 750, format: 'jpeg', measured: false },
] as const;

let server: Server;
let browser: Browser;
let issueHtml: string;
let pageHtml: string;
const media = new MemoryMediaStore();
let mediaBase: string;
let images: Image[];

/** A picture with gradients and shapes, so that it encodes as a photo would. */
async function makePhoto(shape: (typeof shapes)[number]): Promise<Buffer> {
  const { width, height } = shape;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><linearGradient id="g" x2="0" y2="1"><stop offset="0" stop-color="#9cc3e6"/><stop offset="1" stop-color="#2f5d7c"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/><circle cx="${width * 0.7}" cy="${height * 0.3}" r="${Math.min(width, height) * 0.15}" fill="#f6e27f"/><rect y="${height * 0.75}" width="100%" height="${height * 0.25}" fill="#3b4a2f"/></svg>`;
  const image = sharp(Buffer.from(svg));
  return shape.format === 'png' ? image.png().toBuffer() : image.jpeg({ quality: 70 }).toBuffer();
}

beforeAll(async () => {
  const files = new Map<string, { bytes: Buffer; type: string }>();
  server = createServer((request, response) => {
    const file = files.get(request.url ?? '');
    if (!file) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': file.type, 'content-length': file.bytes.length });
    response.end(file.bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const publicBaseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const settings = { ...testSettings, publicBaseUrl };
  mediaBase = mediaBaseUrlOf(settings);

  images = [];
  for (const shape of shapes) {
    const bytes = await makePhoto(shape);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const extension = shape.format === 'png' ? 'png' : 'jpg';
    const type = `image/${shape.format}`;
    files.set(`/media/${sha256}.${extension}`, { bytes, type });
    await media.put(`media/${sha256}.${extension}`, bytes, type);
    images.push({
      caption: `The ${shape.name} photo`,
      credit: 'Test Pictures',
      url: `${mediaBase}/${sha256}.${extension}`,
      ...(shape.measured ? { width: shape.width, height: shape.height } : {}),
    });
  }
  const [lead, ...rest] = images as [Image, ...Image[]];
  const article: Article = {
    id: 'photos-of-every-shape',
    headline: 'Photos of every shape',
    publishedAt: '2026-11-20T09:00:00Z',
    lead: { images: [lead], paragraphs: ['Every kind of photo an editor may import.'] },
    slides: [
      ...rest.map((image, index) => ({
        title: `Slide ${index + 1}`,
        image,
        paragraphs: ['A paragraph under the photo.'],
      })),
      {
        title: 'A photo nobody has',
        image: { caption: 'Not imported', credit: 'Credit Only' },
        paragraphs: ['Its credit stays.'],
      },
    ],
  };

  const templates = await loadTemplates();
  const composed = await composeIssue({
    issueId: '01M8BDWP00R8Y3V5N7Q9T1W4BC',
    now: new Date('2026-11-26T09:00:00Z'),
    articles: [article],
    issues: [],
    settings,
    render: (view) => renderIssue(view, templates),
  });
  if (!composed) throw new Error('the fixture gave no issue');
  issueHtml = personalize(composed.rendered, {
    unsubscribeUrl: `${publicBaseUrl}/unsubscribe?token=v1.AbCdEf0123456789`,
    name: 'Ada',
  }).html;
  pageHtml = renderArticlePage(article, settings, await loadPageTemplates());
  await mkdir(artifacts, { recursive: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

interface Report {
  innerWidth: number;
  scrollWidth: number;
  images: {
    src: string;
    loaded: boolean;
    width: number;
    height: number;
    columnWidth: number;
    attributeWidth: number;
    naturalRatio: number;
  }[];
}

/** Opens `html` at `width` px, loads every image, and measures each against its column. */
async function open(html: string, width: number, screenshot: string): Promise<Report> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  // Only the local media server answers: nothing else leaves the page.
  await page.route('**/*', (route) =>
    route.request().url().startsWith(`${mediaBase}/`) ? route.continue() : route.abort(),
  );
  await page.setContent(html, { waitUntil: 'load' });
  await page.evaluate(
    "Promise.all([...document.images].map((img) => { img.loading = 'eager'; return img.decode().catch(() => undefined); }))",
  );
  const report = (await page.evaluate(`(() => ({
    innerWidth: window.innerWidth,
    scrollWidth: document.scrollingElement.scrollWidth,
    images: [...document.images].map((img) => ({
      src: img.src,
      loaded: img.complete && img.naturalWidth > 0,
      width: img.getBoundingClientRect().width,
      height: img.getBoundingClientRect().height,
      columnWidth: img.parentElement.getBoundingClientRect().width,
      attributeWidth: Number(img.getAttribute('width')),
      naturalRatio: img.naturalHeight / img.naturalWidth,
    })),
  }))()`)) as Report;
  await page.screenshot({ path: `${artifacts}${screenshot}-${width}.png`, fullPage: true });
  await page.close();
  return report;
}

describe.each([600, 375])('a digest of stored photos at %i px', (width) => {
  let report: Report;
  beforeAll(async () => {
    report = await open(issueHtml, width, 'digest-photos');
  });

  it('loads every photo it shows, and shows every photo that has an image', () => {
    expect(report.images.map((image) => image.src)).toEqual(images.map((image) => image.url));
    expect(report.images.filter((image) => !image.loaded)).toEqual([]);
  });

  it('never scrolls sideways', () => {
    expect(report.scrollWidth).toBeLessThanOrEqual(report.innerWidth);
  });

  it('keeps every photo within the column and its width attribute, in proportion', () => {
    for (const image of report.images) {
      expect(image.width, image.src).toBeLessThanOrEqual(image.columnWidth + 0.5);
      expect(image.width, image.src).toBeLessThanOrEqual(image.attributeWidth + 0.5);
      expect(image.attributeWidth, image.src).toBeLessThanOrEqual(552);
      expect(image.height / image.width, image.src).toBeCloseTo(image.naturalRatio, 1);
    }
  });
});

describe('the digest on a phone', () => {
  it('widens every photo to the column', async () => {
    const report = await open(issueHtml, 375, 'digest-photos-phone');

    expect(report.images.length).toBe(shapes.length);
    for (const image of report.images) {
      expect(image.width, image.src).toBeCloseTo(image.columnWidth, 0);
    }
  });
});

describe('the archive page of the article at 375 px', () => {
  it('loads and fits every photo, without sideways scrolling', async () => {
    const report = await open(pageHtml, 375, 'article-photos');

    expect(report.images).toHaveLength(shapes.length);
    expect(report.images.filter((image) => !image.loaded)).toEqual([]);
    expect(report.scrollWidth).toBeLessThanOrEqual(report.innerWidth);
    for (const image of report.images) {
      expect(image.width, image.src).toBeLessThanOrEqual(image.columnWidth + 0.5);
      expect(image.height / image.width, image.src).toBeCloseTo(image.naturalRatio, 1);
    }
  });
});

describe('the issue’s image weight', () => {
  it('is the bytes the media server sends for the photos the digest loads', async () => {
    const weight = await weighImages(issueHtml, mediaBase, media);

    let served = 0;
    for (const image of images) {
      served += (await (await fetch(image.url ?? '')).arrayBuffer()).byteLength;
    }
    expect(weight).toEqual({
      count: shapes.length,
      measured: shapes.length,
      bytes: served,
      unmeasured: 0,
      missing: 0,
    });
  });
});
