import { describe, expect, it } from 'vitest';
import { LINK_KEYS_MAX_AGE_MS } from '#adapters/secrets-manager-link-keys.ts';
import { estimateBrokenLinks, KEY_HANDOVER_MS } from '#core/keys/estimate-broken-links.ts';
import { storedIssue } from '../fakes/memory-issue-deps.ts';
import { brokenLinksDeps, sentIssue } from './link-keys-support.ts';

const MARCH = new Date('2026-03-01T00:00:00.000Z');
const JUNE = new Date('2026-06-01T00:00:00.000Z');
const LATER = '2026-09-01T00:00:00.000Z';

describe('estimateBrokenLinks', () => {
  it('counts the issues sent while the key was the newest, with what their ledger says was mailed', async () => {
    const deps = await brokenLinksDeps(
      [
        sentIssue('01JBEFORE', '2026-02-01T08:00:00.000Z', '2026-02-01T09:00:00.000Z'),
        sentIssue('01JINSIDE', '2026-04-01T08:00:00.000Z', '2026-04-01T09:00:00.000Z'),
        sentIssue('01JAFTER', '2026-07-01T08:00:00.000Z', '2026-07-01T09:00:00.000Z'),
      ],
      {
        '01JBEFORE': { sent: 50 },
        // `unknown`: perhaps sent; `failed` and `suppressed` carried no link to anyone.
        '01JINSIDE': { sent: 120, unknown: 3, failed: 7, suppressed: 9 },
        '01JAFTER': { sent: 80 },
      },
      LATER,
    );

    const breaks = await estimateBrokenLinks(deps, { from: MARCH, until: JUNE });

    expect(breaks).toMatchObject({
      newest: { from: MARCH.toISOString(), until: JUNE.toISOString() },
      issues: [
        {
          issueId: '01JINSIDE',
          subject: 'Issue 01JINSIDE',
          startedAt: '2026-04-01T08:00:00.000Z',
          endedAt: '2026-04-01T09:00:00.000Z',
          mailed: 123,
          partly: false,
        },
      ],
      mailed: 123,
    });
  });

  it('counts from the first issue for kid "0", whose window has no start', async () => {
    const deps = await brokenLinksDeps(
      [sentIssue('01JFIRST', '2025-01-01T08:00:00.000Z', '2025-01-01T09:00:00.000Z')],
      { '01JFIRST': { sent: 10 } },
      LATER,
    );

    const breaks = await estimateBrokenLinks(deps, { until: MARCH });

    expect(breaks.newest).toEqual({ until: MARCH.toISOString() });
    expect(breaks.issues.map((issue) => issue.issueId)).toEqual(['01JFIRST']);
  });

  it('counts, as partly, an issue sending as the key came or went, and one that began while the functions took the next key up', async () => {
    const deps = await brokenLinksDeps(
      [
        sentIssue('01JACROSSSTART', '2026-02-28T23:00:00.000Z', '2026-03-01T01:00:00.000Z'),
        sentIssue('01JACROSSEND', '2026-05-31T23:00:00.000Z', '2026-06-01T01:00:00.000Z'),
        sentIssue(
          '01JHANDOVER',
          new Date(JUNE.getTime() + KEY_HANDOVER_MS / 2).toISOString(),
          '2026-06-01T03:00:00.000Z',
        ),
        sentIssue(
          '01JTAKENUP',
          new Date(JUNE.getTime() + KEY_HANDOVER_MS).toISOString(),
          '2026-06-01T03:00:00.000Z',
        ),
      ],
      { '01JACROSSSTART': { sent: 1 }, '01JACROSSEND': { sent: 2 }, '01JHANDOVER': { sent: 4 } },
      LATER,
    );

    const breaks = await estimateBrokenLinks(deps, { from: MARCH, until: JUNE });

    expect(breaks.issues.map(({ issueId, partly }) => ({ issueId, partly }))).toEqual([
      { issueId: '01JACROSSSTART', partly: true },
      { issueId: '01JACROSSEND', partly: true },
      { issueId: '01JHANDOVER', partly: true },
    ]);
    expect(breaks.mailed).toBe(7);
    expect(breaks.notes).toContain(
      '3 issues were sending as a key took over: its messages are all counted, though some carry another key.',
    );
  });

  it('counts an issue still sending up to now, and leaves out drafts and issues that mailed nobody', async () => {
    const deps = await brokenLinksDeps(
      [
        sentIssue('01JSTILL', '2026-02-01T08:00:00.000Z'),
        storedIssue('01JDRAFT', { state: 'draft' }),
        storedIssue('01JCANCELLED', {
          state: 'cancelled',
          startedAt: '2026-04-01T08:00:00.000Z',
          mailedNobody: true,
          timeline: [{ at: '2026-04-01T08:01:00.000Z', actor: 'cli:editor', action: 'cancel' }],
        }),
        sentIssue('01JNOTHING', '2026-04-02T08:00:00.000Z', '2026-04-02T08:00:01.000Z'),
      ],
      { '01JSTILL': { sent: 5, queued: 40 }, '01JCANCELLED': { cancelled: 30 } },
      LATER,
    );

    const breaks = await estimateBrokenLinks(deps, { from: MARCH, until: JUNE });

    expect(breaks.issues).toEqual([
      {
        issueId: '01JSTILL',
        subject: 'Issue 01JSTILL',
        startedAt: '2026-02-01T08:00:00.000Z',
        mailed: 5,
        partly: true,
      },
    ]);
  });

  it('gives the functions at least as long to take a new key up as they keep the keys they read', () => {
    expect(KEY_HANDOVER_MS).toBeGreaterThanOrEqual(LINK_KEYS_MAX_AGE_MS);
  });

  it('says whether confirmation links that still work may carry the key', async () => {
    const long = await brokenLinksDeps([], {}, LATER);
    const recent = await brokenLinksDeps([], {}, '2026-06-02T00:00:00.000Z');

    const expired = await estimateBrokenLinks(long, { from: MARCH, until: JUNE });
    const live = await estimateBrokenLinks(recent, { from: MARCH, until: JUNE });

    expect(expired).toMatchObject({ issues: [], mailed: 0, confirmLinks: false });
    expect(expired.notes).toEqual([
      'Confirmation links mailed while it was the newest have all expired (they work 48 hours).',
    ]);
    expect(live.confirmLinks).toBe(true);
    expect(live.notes).toEqual([
      'Confirmation links mailed while it was the newest break too: some may still work (they work 48 hours).',
    ]);
  });
});
