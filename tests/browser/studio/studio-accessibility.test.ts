import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTICLES, cliOn, draft } from '../../integration/support/issue-cli.ts';
import { launchChromium } from '../support/launch-chromium.ts';
import { openStudio, type RunningStudio, startStudio } from './support/studio-process.ts';

// axe-core on the studio's own page (not on the email in its frames, which the checks
// judge): no serious or critical violation, in each state an editor meets.

let browser: Browser;
let studio: RunningStudio;
let axeSource: string;
let subject: string;

beforeAll(async () => {
  axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  [browser, studio] = await Promise.all([
    launchChromium(),
    startStudio({
      prepare: async (home) => {
        ({ subject } = await draft(cliOn(home), [ARTICLES.museum, ARTICLES.lighthouse]));
      },
    }),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await studio?.stop();
});

/** How many of axe-core's rules passed on the page as it opened: proof that it ran. */
let passedRules = 0;

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core in the page, frames left out (`iframes: false`), and returns its violations of
 * serious or critical impact. Its source is evaluated through the DevTools protocol, which the
 * page's Content-Security-Policy (scripts from the studio only) does not govern.
 */
async function seriousViolations(page: Page): Promise<Violation[]> {
  const loaded = await page.evaluate(
    () => typeof (globalThis as unknown as { axe?: unknown }).axe === 'object',
  );
  if (!loaded) await page.evaluate(axeSource);
  const results = await page.evaluate(async () => {
    type Result = {
      violations: {
        id: string;
        impact: string | null;
        help: string;
        nodes: { target: string[] }[];
      }[];
      passes: unknown[];
    };
    const { axe } = globalThis as unknown as {
      axe: { run(context: unknown, options: unknown): Promise<Result> };
    };
    const ran = await axe.run((globalThis as unknown as { document: unknown }).document, {
      iframes: false,
      resultTypes: ['violations'],
    });
    return {
      passes: ran.passes.length,
      violations: ran.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        targets: violation.nodes.map((node) => node.target.join(' ')),
      })),
    };
  });
  passedRules = Math.max(passedRules, results.passes);
  return results.violations.filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  );
}

describe('the studio page: accessibility', () => {
  it('has no serious or critical axe-core violation: as it opens, in each view of the preview, with an issue open, and with the confirm dialog open', async () => {
    const page = await openStudio(browser, studio);
    const found: Record<string, Violation[]> = {};

    found.opened = await seriousViolations(page);
    for (const view of ['Dark: partial', 'Plain text', 'HTML source', 'Inbox row', 'Headers']) {
      await page.getByText(view, { exact: true }).click();
      found[view] = await seriousViolations(page);
    }
    await page.getByRole('button', { name: `Open “${subject}”` }).click();
    await page.locator('#issue-detail .issue-state').waitFor();
    found['issue open'] = await seriousViolations(page);
    await page.locator('#issue-detail').getByRole('button', { name: 'Cancel issue…' }).click();
    await page.locator('dialog.confirm-dialog').waitFor();
    found['confirm dialog'] = await seriousViolations(page);
    await page.keyboard.press('Escape');
    await page.close();

    expect(passedRules).toBeGreaterThan(20);
    expect(found).toEqual({
      opened: [],
      'Dark: partial': [],
      'Plain text': [],
      'HTML source': [],
      'Inbox row': [],
      Headers: [],
      'issue open': [],
      'confirm dialog': [],
    });
  });
});
