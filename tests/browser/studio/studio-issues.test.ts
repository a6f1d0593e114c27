import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ARTICLES,
  cliOn,
  draft,
  outboxRecords,
  show,
} from '../../integration/support/issue-cli.ts';
import { launchChromium } from '../support/launch-chromium.ts';
import { openStudio, type RunningStudio, startStudio } from './support/studio-process.ts';

// An issue sent and paused from its panel in the studio page, slowly enough (one message a
// second, as tests/integration/cli-issues-pause.test.ts slows its sends) that it is still
// sending when the editor pauses it.

const SUBSCRIBERS = 30;
/** `sendRate`, messages per second: the whole issue takes 30 s. */
const SLOW = { NEWSLETTER_SEND_RATE: '1' };

let browser: Browser;
let studio: RunningStudio;

beforeAll(async () => {
  [browser, studio] = await Promise.all([
    launchChromium(),
    startStudio({ subscribers: SUBSCRIBERS, env: SLOW }),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await studio?.stop();
});

describe('the studio page: issues', () => {
  it('sends a draft from its panel once the dialog is confirmed, shows its progress from the issue events and its deliveries in the chart, keeps it when a cancel is not confirmed, and pauses it from its button', async () => {
    const cli = cliOn(studio.home, SLOW);
    const { issueId, subject } = await draft(cli, [ARTICLES.museum]);
    const page = await openStudio(browser, studio);
    const panel = page.locator('#issue-detail');

    await page.getByRole('button', { name: `Open “${subject}”` }).click();
    await panel.getByRole('button', { name: 'Send now…' }).click();
    const dialog = page.locator('dialog.confirm-dialog');
    await dialog.waitFor();
    const question = await dialog.locator('#confirm-question').textContent();
    await dialog.getByRole('button', { name: 'Send now' }).click();
    await panel.getByText(/^State: sending/).waitFor();
    await panel.getByText(/^[1-9]\d* of 30 messages have an outcome$/).waitFor();

    await panel.getByRole('button', { name: 'Cancel issue…' }).click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Keep it' }).click();
    const stateAfterKeep = (await show(cli, issueId)).state;

    await panel.getByRole('button', { name: 'Pause' }).click();
    await panel.getByText('Pause: done, the issue is paused.').waitFor();
    const stateLine = await panel.locator('.issue-state').textContent();
    const resumeShown = await panel.getByRole('button', { name: 'Resume' }).isVisible();
    const listed = await page.locator(`tr[data-issue="${issueId}"] .state`).textContent();
    await panel.locator('.issue-chart .uplot').waitFor();
    const chartSummary = await panel.locator('.issue-chart > p').textContent();
    const report = await show(cli, issueId);
    const mailed = (await outboxRecords(studio.home, issueId)).length;
    await page.close();

    expect(question).toContain('Send “');
    expect(question).toContain('It cannot be taken back.');
    expect(stateAfterKeep).toBe('sending');
    expect(stateLine).toMatch(/^State: paused, version 1, paused by cli:\S+\.$/);
    expect(resumeShown).toBe(true);
    expect(listed).toBe('paused');
    expect(report.state).toBe('paused');
    expect(report.timeline.at(-1)).toMatchObject({ action: 'pause' });
    expect(mailed).toBeLessThan(SUBSCRIBERS);
    expect(chartSummary).toMatch(
      /^Over \d+ minutes?: [1-9]\d* delivered, 0 bounced, 0 complained\.$/,
    );
  });
});
