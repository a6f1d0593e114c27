import { describe, expect, it } from 'vitest';
import { issueReport } from '#core/issues/issue-report.ts';
import { emptyStatus } from '#core/issues/issue-status.ts';
import { storedIssue } from '../fakes/memory-issue-deps.ts';

const ISSUE = '01JISSUE000000000000000001';
const status = { ...emptyStatus, issueId: ISSUE };

describe('issueReport', () => {
  it('gives who paused a paused issue, when, and the reason it paused itself', () => {
    const issue = storedIssue(ISSUE, {
      state: 'paused',
      timeline: [
        { at: '2026-11-27T08:00:00.000Z', actor: 'cli:ada', action: 'pause' },
        { at: '2026-11-27T08:05:00.000Z', actor: 'cli:ada', action: 'resume' },
        {
          at: '2026-11-27T08:09:00.000Z',
          actor: 'rates',
          action: 'pause',
          detail: 'bounce rate 6.1 % after 412 sent',
        },
      ],
    });

    expect(issueReport(issue, status).pausedBy).toEqual({
      actor: 'rates',
      at: '2026-11-27T08:09:00.000Z',
      reason: 'bounce rate 6.1 % after 412 sent',
    });
  });

  it('names the editor of a pause without a reason', () => {
    const issue = storedIssue(ISSUE, {
      state: 'paused',
      timeline: [{ at: '2026-11-27T08:00:00.000Z', actor: 'cli:ada', action: 'pause' }],
    });

    expect(issueReport(issue, status).pausedBy).toEqual({
      actor: 'cli:ada',
      at: '2026-11-27T08:00:00.000Z',
    });
  });

  it('gives no pause once the issue is sending again', () => {
    const issue = storedIssue(ISSUE, {
      state: 'sending',
      timeline: [{ at: '2026-11-27T08:00:00.000Z', actor: 'rates', action: 'pause' }],
    });

    expect(issueReport(issue, status)).not.toHaveProperty('pausedBy');
  });
});
