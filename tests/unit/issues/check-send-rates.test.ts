import { describe, expect, it } from 'vitest';
import {
  type CheckSendRatesDeps,
  checkSendRates,
  RATES_ACTOR,
} from '#core/issues/check-send-rates.ts';
import type { IssueState } from '#core/issues/ports.ts';
import type { RateCounts } from '#core/issues/rate-breach.ts';
import { ledgerRecord, storedIssue } from '../fakes/memory-issue-deps.ts';
import { MemoryIssueStore, MemorySendLedger } from '../fakes/memory-stores.ts';

const ISSUE = '01JISSUE000000000000000001';
const AT = '2026-11-27T09:00:00.000Z';
const config = { pauseMinOutcomes: 100, pauseBounceRate: 0.05, pauseComplaintRate: 0.001 };

/**
 * An issue in `state` whose ledger has `sent` records, the first `bounced` of them bounced
 * for good.
 */
async function setup(
  sent: number,
  bounced: number,
  state: IssueState = 'sending',
  rateBaseline?: RateCounts,
) {
  const issues = new MemoryIssueStore();
  const ledger = new MemorySendLedger();
  await issues.create(storedIssue(ISSUE, { state, ...(rateBaseline ? { rateBaseline } : {}) }));
  for (let n = 1; n <= sent; n++) {
    await ledgerRecord(ledger, ISSUE, `s${n}`, 'sent', AT);
    if (n <= bounced) await ledger.recordEvent(ISSUE, `s${n}`, { type: 'bouncedPermanent' }, AT);
  }
  const deps: CheckSendRatesDeps = { config, issues, ledger, now: () => new Date(AT) };
  return { deps, issues };
}

describe('checkSendRates', () => {
  it('pauses a sending issue whose bounce rate passed its threshold, giving the reason in its timeline', async () => {
    const { deps, issues } = await setup(120, 10);

    const reason = await checkSendRates(deps, ISSUE);

    expect(reason).toBe('bounce rate 8.3 % after 120 sent');
    const issue = await issues.get(ISSUE);
    expect(issue?.state).toBe('paused');
    expect(issue?.timeline.at(-1)).toEqual({
      at: AT,
      actor: RATES_ACTOR,
      action: 'pause',
      detail: 'bounce rate 8.3 % after 120 sent',
    });
  });

  it('leaves an issue under its thresholds sending', async () => {
    const { deps, issues } = await setup(120, 6);

    expect(await checkSendRates(deps, ISSUE)).toBe(undefined);
    expect((await issues.get(ISSUE))?.state).toBe('sending');
  });

  it('judges a resumed issue only on what it sent after its resume', async () => {
    const baseline = { sent: 100, bouncedPermanent: 10, complained: 0 };
    // 10 of 220 bounced (4.5 %) since the start, 0 of the 120 sent since the resume.
    const { deps, issues } = await setup(220, 10, 'sending', baseline);

    expect(await checkSendRates(deps, ISSUE)).toBe(undefined);
    expect((await issues.get(ISSUE))?.state).toBe('sending');
  });

  it('changes nothing on an issue that is not sending', async () => {
    const { deps, issues } = await setup(120, 60, 'paused');
    const before = await issues.get(ISSUE);

    expect(await checkSendRates(deps, ISSUE)).toBe(undefined);
    expect(await issues.get(ISSUE)).toEqual(before);
  });

  it('says nothing when another process paused the issue between its read and its write', async () => {
    const { deps, issues } = await setup(120, 60);
    const get = issues.get.bind(issues);
    // The read finds it sending; an editor pauses it before the write.
    deps.issues = {
      get: async (issueId) => {
        const issue = await get(issueId);
        const stored = issues.items.get(issueId);
        if (stored) stored.state = 'paused';
        return issue;
      },
      move: (issueId, move) => issues.move(issueId, move),
    };

    expect(await checkSendRates(deps, ISSUE)).toBe(undefined);
    expect((await issues.get(ISSUE))?.timeline).toEqual([]);
  });
});
