import { describe, expect, it } from 'vitest';
import { afterSendCounts } from '#core/events/after-send-counts.ts';
import { issueReport } from '#core/issues/issue-report.ts';
import { statusFromCounts } from '#core/issues/issue-status.ts';
import { sendCounts } from '#core/sending/send-counts.ts';
import { describeStatus } from '../../../cli/describe-status.ts';
import { storedIssue } from '../fakes/memory-issue-deps.ts';
import { MemorySendLedger } from '../fakes/memory-stores.ts';

const ISSUE = '01JNQ3V8C2K7ZP4R6T9W1XB5DE';
const AT = '2026-11-27T08:00:00.000Z';
const ARTICLE = 'https://news.example.com/articles/night-trains';
const ARCHIVE = `https://news.example.com/issues/${ISSUE}`;

/** An issue sent to four readers, with what SES and the readers reported since. */
async function reported() {
  const ledger = new MemorySendLedger();
  const ids = ['r1', 'r2', 'r3', 'r4'];
  await ledger.addMissing(
    ISSUE,
    ids.map((subscriberId) => ({ subscriberId, status: 'queued' as const })),
    AT,
  );
  for (const id of ids) {
    await ledger.update(ISSUE, id, { status: ['queued'] }, { status: 'sent' }, AT);
  }
  for (const id of ['r1', 'r2', 'r3']) {
    await ledger.recordEvent(ISSUE, id, { type: 'delivered' }, AT);
  }
  await ledger.recordEvent(ISSUE, 'r4', { type: 'bouncedPermanent' }, AT);
  await ledger.recordEvent(ISSUE, 'r3', { type: 'unsubscribed' }, AT);
  await ledger.recordEvent(ISSUE, 'r1', { type: 'opened' }, AT);
  await ledger.recordEvent(ISSUE, 'r2', { type: 'opened' }, AT);
  await ledger.recordEvent(ISSUE, 'r1', { type: 'clicked', link: ARTICLE }, AT);
  await ledger.recordEvent(ISSUE, 'r2', { type: 'clicked', link: ARTICLE }, AT);
  await ledger.recordEvent(ISSUE, 'r2', { type: 'clicked', link: ARCHIVE }, AT);
  const issue = storedIssue(ISSUE, { state: 'sent' });
  const status = statusFromCounts(issue, sendCounts({ sent: 4 }));
  return { ledger, issue, status };
}

describe('what happened after a send, as issues show and status report it', () => {
  it('reports every delivery figure, and no open or click without trackEngagement', async () => {
    const { ledger, issue, status } = await reported();

    const report = issueReport(
      issue,
      status,
      await afterSendCounts(ledger, ISSUE, { trackEngagement: false }),
    );

    expect(report).toMatchObject({
      sent: 4,
      delivered: 3,
      bouncedPermanent: 1,
      bouncedTransient: 0,
      complained: 0,
      rejected: 0,
      delayed: 0,
      unsubscribed: 1,
    });
    expect(Object.keys(report)).not.toContain('opened');
    expect(Object.keys(report)).not.toContain('clicked');
    expect(Object.keys(report)).not.toContain('clicks');
  });

  it('reports opens, clicks and each link’s readers with trackEngagement', async () => {
    const { ledger, issue, status } = await reported();

    const report = issueReport(
      issue,
      status,
      await afterSendCounts(ledger, ISSUE, { trackEngagement: true }),
    );

    expect(report).toMatchObject({ delivered: 3, opened: 2, clicked: 2 });
    expect(report.clicks).toEqual([
      { link: ARTICLE, clicks: 2 },
      { link: ARCHIVE, clicks: 1 },
    ]);
  });

  it('says it in a sentence, naming the figures that are not 0 and the most clicked links', async () => {
    const { ledger, issue, status } = await reported();
    const tracked = issueReport(
      issue,
      status,
      await afterSendCounts(ledger, ISSUE, { trackEngagement: true }),
    );
    const untracked = issueReport(
      issue,
      status,
      await afterSendCounts(ledger, ISSUE, { trackEngagement: false }),
    );

    expect(describeStatus(tracked, 'sent')).toContain(
      'Afterwards: 3 delivered, 1 bounced for good, 1 unsubscribed through this issue, 2 opened, 2 clicked.' +
        ` Most clicked: ${ARTICLE} (2), ${ARCHIVE} (1).`,
    );
    expect(describeStatus(untracked, 'sent')).toMatch(
      /Afterwards: 3 delivered, 1 bounced for good, 1 unsubscribed through this issue\.$/,
    );
    expect(describeStatus(status, 'sent')).not.toContain('Afterwards');
  });
});
