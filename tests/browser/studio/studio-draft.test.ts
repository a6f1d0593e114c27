import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTICLES, cliOn, draft, list, show } from '../../integration/support/issue-cli.ts';
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

// Drafting from the studio page, and a test send opened from the local outbox.

let browser: Browser;
let studio: RunningStudio;

beforeAll(async () => {
  [browser, studio] = await Promise.all([launchChromium(), startStudio()]);
});

afterAll(async () => {
  await browser?.close();
  await studio?.stop();
});

describe('the studio page: drafts and test sends', () => {
  it('reorders the articles with the keyboard, removes one, saves them as a draft in that order, and shows the draft', async () => {
    const page = await openStudio(browser, studio);
    const headlines = () => page.locator('.article-list .article-headline').allTextContents();
    const before = await headlines();
    const [first = '', second = '', third = '', fourth = ''] = before;

    const moveUp = page.getByRole('button', { name: `Move up: ${second}` });
    await moveUp.focus();
    await page.keyboard.press('Enter');
    const focusedAfterMove = await page.evaluate(() =>
      (
        globalThis as unknown as {
          document: { activeElement: { getAttribute(n: string): string | null } };
        }
      ).document.activeElement.getAttribute('aria-label'),
    );
    await page.getByRole('button', { name: `Remove: ${fourth}` }).click();
    const edited = await headlines();
    const { drawn } = await previewMarks(page);
    await page.getByRole('button', { name: 'Save as a new draft' }).click();
    await page.getByText(/^Saved: the draft/).waitFor();
    await whenDrawn(page, drawn);
    const chosen = await page.locator('#choice-issue option:checked').textContent();
    const shownFirst = frontFrame(page).getByRole('heading', { name: second });
    await shownFirst.waitFor();
    const saveLabel = await page.locator('#articles button.primary').textContent();
    const issues = (await list(cliOn(studio.home))).filter((issue) => issue.state === 'draft');
    const stored = (await (await fetch(new URL('/api/articles', studio.url))).json()) as {
      id: string;
      headline: string;
    }[];
    const idOf = (headline: string) => stored.find((article) => article.headline === headline)?.id;
    await page.close();

    expect(edited).toEqual([second, first, third]);
    expect(focusedAfterMove).toBe(`Move down: ${second}`);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.state).toBe('draft');
    expect(issues[0]?.articleIds).toEqual([idOf(second), idOf(first), idOf(third)]);
    expect(chosen).toMatch(/\(draft, version 1\)$/);
    expect(saveLabel).toBe("Save as the draft's next version");
  });

  it('sends a test of the draft shown, then opens it from the outbox as a mail client shows it: headers, HTML in a sandboxed frame, text', async () => {
    const { issueId } = await draft(cliOn(studio.home), [ARTICLES.museum, ARTICLES.vegetables]);
    const page = await openStudio(browser, studio);
    const { drawn } = await previewMarks(page);
    await page.locator('#choice-issue').selectOption(issueId);
    await whenDrawn(page, drawn);

    await page.getByLabel('Send to').fill('tester@example.com');
    await page.getByRole('button', { name: 'Send test' }).click();
    const result = page.locator('.test-result');
    await result.getByText(/^Sent version 1 to 1 of 1\./).waitFor();
    const opened = page.locator('.outbox-list button', { hasText: '[TEST]' }).first();
    await opened.waitFor();
    await opened.click();
    const dialog = page.locator('dialog.message-dialog');
    await dialog.waitFor();
    const subject = await dialog.locator('#message-subject').textContent();
    const envelope = await dialog.locator('.message-envelope').textContent();
    const sandbox = await dialog.locator('iframe.message-html').getAttribute('sandbox');
    const bodyHeading = await page
      .frameLocator('dialog.message-dialog iframe.message-html')
      .getByRole('heading', { level: 1 })
      .textContent();
    await dialog.locator('.message-headers summary').click();
    const headerNames = await dialog.locator('.message-headers th').allTextContents();
    await dialog.locator('.message-text summary').click();
    const text = await dialog.locator('.message-text pre').textContent();
    await dialog.getByRole('button', { name: 'Close' }).click();
    const closed = await dialog.isHidden();
    await page.close();

    expect(subject).toMatch(/^\[TEST\] /);
    expect(envelope).toContain('tester@example.com');
    expect(envelope).toContain('digest@example.com');
    expect(sandbox).toBe('allow-same-origin');
    expect(bodyHeading).toBe('The Weekly Slide');
    expect(headerNames.map((name) => name.toLowerCase())).toContain('list-unsubscribe');
    expect(text).toContain('STORY 1 OF 2');
    expect(closed).toBe(true);
  });

  it('keeps the frozen render of a draft shown when a template is saved, says so, and makes a new version from its button', async () => {
    const cli = cliOn(studio.home);
    const { issueId } = await draft(cli, [ARTICLES.lighthouse]);
    const page = await openStudio(browser, studio);
    let { drawn } = await previewMarks(page);
    await page.locator('#choice-issue').selectOption(issueId);
    await whenDrawn(page, drawn);

    await editTemplate(
      studio,
      'partials/mjml-header.hbs',
      '{{listName}}</h1>',
      '{{listName}}, revised</h1>',
    );
    const notice = page.locator('.notice', {
      hasText: 'Templates changed (partials/mjml-header.hbs)',
    });
    await notice.waitFor();
    const noticeText = await notice.locator('p').textContent();
    const frozenHeading = await frontFrame(page).getByRole('heading', { level: 1 }).textContent();
    ({ drawn } = await previewMarks(page));
    await notice.getByRole('button', { name: 'Render a new version' }).click();
    await page.getByText(/^Rendered version 2 of “/).waitFor();
    await whenDrawn(page, drawn);
    await frontFrame(page).getByRole('heading', { name: 'The Weekly Slide, revised' }).waitFor();
    const report = await show(cli, issueId);
    await editTemplate(studio, 'partials/mjml-header.hbs', ', revised</h1>', '</h1>');
    await page.close();

    expect(noticeText).toContain('The draft shown keeps the render of its version 1.');
    expect(frozenHeading).toBe('The Weekly Slide');
    expect(report).toMatchObject({ state: 'draft', version: 2 });
  });
});
