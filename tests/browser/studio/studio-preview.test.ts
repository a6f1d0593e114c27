import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/launch-chromium.ts';
import {
  editTemplate,
  frontFrame,
  openStudio,
  previewMarks,
  type RunningStudio,
  startStudio,
  whenDrawn,
} from './support/studio-process.ts';

// The studio's preview as an editor uses it: `newsletter studio` started as a user starts it,
// its page in Chromium, the templates edited in the folder it watches.

const HEADLINES = {
  museum: 'Inside the Midnight Museum Tour That Sold Out in Four Minutes',
  vegetables: 'Chef Tomás Okafor’s ‘Ugly Vegetable’ Menu Wins Over the Critics',
} as const;

let browser: Browser;
let studio: RunningStudio;

beforeAll(async () => {
  [browser, studio] = await Promise.all([launchChromium(), startStudio()]);
});

afterAll(async () => {
  await browser?.close();
  await studio?.stop();
});

type FrameGlobals = {
  document: {
    querySelector(selector: string): {
      contentWindow: { scrollY: number; scrollTo(x: number, y: number): void };
      getBoundingClientRect(): { width: number };
    } | null;
  };
};

/** The vertical scroll of the preview frame in front, read in the page. */
function frontScroll(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      (globalThis as unknown as FrameGlobals).document.querySelector(
        '.frame-stage iframe:not(.frame-back)',
      )?.contentWindow.scrollY ?? -1,
  );
}

describe('the studio page: the issue', () => {
  it('shows the next issue in the frame, its articles in order, and the checks under a size gauge', async () => {
    const page = await openStudio(browser, studio);

    await frontFrame(page).getByRole('heading', { name: HEADLINES.museum }).waitFor();
    const articles = await page.locator('.article-list .article-headline').allTextContents();
    const inFrame = await frontFrame(page).getByRole('heading', { level: 2 }).allTextContents();
    const figures = await page.locator('#size-figures').textContent();
    const groups = await page.locator('#checks .check-group').count();
    await page.close();

    expect(articles).toHaveLength(4);
    expect(articles).toContain(HEADLINES.museum);
    expect(articles).toEqual(inFrame);
    expect(figures).toMatch(/\d[\d,]* bytes\), within the budget/);
    expect(figures).toContain('Gmail clips at 100.0 KB');
    expect(groups).toBe(3);
  });

  it('draws each saved template without reloading the page, keeping the scroll position', async () => {
    const page = await openStudio(browser, studio);
    await page.evaluate(() => {
      (globalThis as unknown as Record<string, unknown>).studioMarker = 'set before the edits';
    });
    await page.evaluate(() =>
      (globalThis as unknown as FrameGlobals).document
        .querySelector('.frame-stage iframe:not(.frame-back)')
        ?.contentWindow.scrollTo(0, 600),
    );
    const scrolled = await frontScroll(page);
    const header = 'partials/mjml-header.hbs';

    // Two saves: the first render goes into the frame behind through `srcdoc`, the second
    // into a frame that has a document already, in place.
    let { drawn } = await previewMarks(page);
    await editTemplate(studio, header, '{{listName}}</h1>', '{{listName}} (edited live)</h1>');
    await whenDrawn(page, drawn);
    await frontFrame(page)
      .getByRole('heading', { name: 'The Weekly Slide (edited live)' })
      .waitFor();
    const scrollAfterFirst = await frontScroll(page);
    ({ drawn } = await previewMarks(page));
    await editTemplate(studio, header, ' (edited live)</h1>', '</h1>');
    await whenDrawn(page, drawn);
    await frontFrame(page)
      .getByRole('heading', { name: 'The Weekly Slide', exact: true })
      .waitFor();
    const scrollAfterSecond = await frontScroll(page);
    const marker = await page.evaluate(
      () => (globalThis as unknown as Record<string, unknown>).studioMarker,
    );
    await page.close();

    expect(scrolled).toBe(600);
    expect(scrollAfterFirst).toBe(600);
    expect(scrollAfterSecond).toBe(600);
    expect(marker).toBe('set before the edits');
  });

  it('shows a broken template’s error with its file and line in place of the preview, and the preview again once it is fixed', async () => {
    const page = await openStudio(browser, studio);
    const file = join(studio.templates, 'partials/mjml-header.hbs');
    const original = await readFile(file, 'utf8');
    const line = original.split('\n').findIndex((text) => text.includes('{{listName}}</h1>')) + 1;
    const { drawn } = await previewMarks(page);

    await writeFile(file, original.replace('{{listName}}</h1>', '{{listName}</h1>'));
    const error = page.locator('.render-error');
    await error.getByText('partials/mjml-header.hbs').first().waitFor();
    const errorText = await error.textContent();
    const stageHidden = await page.locator('.frame-stage').isHidden();
    await writeFile(file, original);
    await whenDrawn(page, drawn);
    await error.waitFor({ state: 'hidden' });
    const stageVisible = await page.locator('.frame-stage').isVisible();
    await page.close();

    expect(line).toBeGreaterThan(0);
    expect(errorText).toContain('The templates cannot be rendered');
    expect(errorText).toContain(`In partials/mjml-header.hbs, line ${line}:`);
    expect(stageHidden).toBe(true);
    expect(stageVisible).toBe(true);
  });

  it('plans the next issue as the schedule would at the time picked, and as now again', async () => {
    const page = await openStudio(browser, studio);
    const masthead = () =>
      frontFrame(page)
        .getByRole('heading', { level: 1 })
        .locator('xpath=following-sibling::p[1]')
        .textContent();

    let { drawn } = await previewMarks(page);
    await page.getByLabel('As the schedule would plan it at').fill('2027-04-06T09:00');
    await whenDrawn(page, drawn);
    const planned = await masthead();
    const summary = await page.locator('#preview-summary').textContent();
    ({ drawn } = await previewMarks(page));
    await page.getByRole('button', { name: 'Now', exact: true }).click();
    await whenDrawn(page, drawn);
    const now = await masthead();
    await page.close();

    expect(planned).toMatch(/^April 6, 2027 · 4 stories$/);
    expect(summary).toContain('as send would make it at 2027-04-06 09:00');
    expect(now).not.toBe(planned);
  });

  it('switches the frame to 375 and 320 pixels, and back to 600', async () => {
    const page = await openStudio(browser, studio);
    const widthOf = async () =>
      (await page.locator('.frame-stage iframe:not(.frame-back)').boundingBox())?.width;

    const initial = await widthOf();
    await page.getByText('375 px', { exact: true }).click();
    const narrow = await widthOf();
    await page.getByText('320 px', { exact: true }).click();
    const narrowest = await widthOf();
    await page.getByText('600 px', { exact: true }).click();
    const wide = await widthOf();
    await page.close();

    expect([initial, narrow, narrowest, wide]).toEqual([600, 375, 320, 600]);
  });

  it('draws the two dark modes, each labelled as an approximation: the whole page inverted with photos inverted back, or light backgrounds darkened and dark text lightened', async () => {
    const page = await openStudio(browser, studio);
    const frame = frontFrame(page);
    const style = (selector: string, property: string) =>
      frame
        .locator(selector)
        .first()
        .evaluate((element, name) => {
          // Run in the frame: the element's own window computes its style.
          const view = (element as unknown as FrameElement).ownerDocument.defaultView;
          return view.getComputedStyle(element).getPropertyValue(name);
        }, property);

    let { drawn } = await previewMarks(page);
    await page.getByText('Dark: full inversion', { exact: true }).click();
    await whenDrawn(page, drawn);
    const fullNote = await page.locator('#view-note').textContent();
    const rootFilter = await style('html', 'filter');
    const photoFilter = await style('img', 'filter');

    ({ drawn } = await previewMarks(page));
    await page.getByText('Dark: partial', { exact: true }).click();
    await whenDrawn(page, drawn);
    const partialNote = await page.locator('#view-note').textContent();
    const bodyBackground = await style('body', 'background-color');
    const headlineColour = await style('h2', 'color');
    const partialRootFilter = await style('html', 'filter');
    await page.close();

    expect(fullNote).toContain('An approximation of a full dark mode');
    expect(rootFilter).toBe('invert(1) hue-rotate(180deg)');
    expect(photoFilter).toBe('invert(1) hue-rotate(180deg)');
    expect(partialNote).toContain('An approximation of a partial dark mode');
    expect(partialRootFilter).toBe('none');
    expect(lightness(bodyBackground)).toBeLessThan(0.3);
    expect(lightness(headlineColour)).toBeGreaterThan(0.7);
  });

  it('shows the plain-text part, the HTML source, the inbox row with the preheader cut per client, and the headers with List-Unsubscribe', async () => {
    const page = await openStudio(browser, studio);

    await page.getByText('Plain text', { exact: true }).click();
    const text = await page.locator('.view-panel pre.plain-text').textContent();
    await page.getByText('HTML source', { exact: true }).click();
    const source = await page.locator('.view-panel pre.html-source').textContent();
    await page.getByText('Inbox row', { exact: true }).click();
    const rows = await page.locator('.inbox-row').allTextContents();
    const preheaders = await page.locator('.inbox-row .inbox-preheader').allTextContents();
    await page.getByText('Headers', { exact: true }).click();
    const unsubscribe = await page
      .locator('.headers tr', {
        has: page.getByRole('rowheader', { name: 'List-Unsubscribe', exact: true }),
      })
      .locator('td')
      .first()
      .textContent();
    const oneClick = await page
      .locator('.headers tr', {
        has: page.getByRole('rowheader', { name: 'List-Unsubscribe-Post' }),
      })
      .locator('td')
      .first()
      .textContent();
    await page.close();

    expect(text).toContain('STORY 1 OF 4');
    expect(source?.trimStart().toLowerCase()).toMatch(/^<!doctype html>/);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toContain('Apple Mail, Mac: about 140 characters');
    for (const row of rows) expect(row).toContain('The Weekly Slide');
    for (const row of rows) expect(row).toContain(HEADLINES.vegetables);
    expect(preheaders.map((text) => [...text].length)).toEqual(
      [140, 97, 90, 81].map((limit) => Math.min(limit + 1, [...(preheaders[0] ?? '')].length)),
    );
    expect(preheaders[3]).toMatch(/…$/);
    expect(preheaders[0]?.startsWith((preheaders[3] ?? '').slice(0, -1))).toBe(true);
    expect(unsubscribe).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/unsubscribe\?token=[^>]+>$/);
    expect(oneClick).toBe('List-Unsubscribe=One-Click');
  });
});

/** An element of the frame, as far as the style reads go. */
interface FrameElement {
  ownerDocument: {
    defaultView: { getComputedStyle(element: unknown): { getPropertyValue(name: string): string } };
  };
}

/** HSL lightness (0–1) of a computed `rgb(…)` or `rgba(…)` colour. */
function lightness(colour: string): number {
  const [r = 0, g = 0, b = 0] = (colour.match(/[\d.]+/g) ?? []).map(Number);
  return (Math.max(r, g, b) + Math.min(r, g, b)) / 2 / 255;
}
