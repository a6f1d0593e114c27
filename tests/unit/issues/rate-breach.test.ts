import { describe, expect, it } from 'vitest';
import { COMPLAINT_MIN_SENT, rateBreach } from '#core/issues/rate-breach.ts';

const thresholds = { pauseMinOutcomes: 100, pauseBounceRate: 0.05, pauseComplaintRate: 0.001 };

describe('rateBreach', () => {
  it('gives the bounce rate and the messages sent once the rate passes its threshold', () => {
    expect(rateBreach({ sent: 412, bouncedPermanent: 25, complained: 0 }, thresholds)).toBe(
      'bounce rate 6.1 % after 412 sent',
    );
  });

  it('lets an issue at exactly the bounce threshold go on', () => {
    expect(rateBreach({ sent: 200, bouncedPermanent: 10, complained: 0 }, thresholds)).toBe(
      undefined,
    );
  });

  it('does not judge bounces before pauseMinOutcomes messages were sent', () => {
    const counts = { sent: 99, bouncedPermanent: 50, complained: 0 };
    expect(rateBreach(counts, thresholds)).toBe(undefined);
    expect(rateBreach({ ...counts, sent: 100 }, thresholds)).toBe(
      'bounce rate 50.0 % after 100 sent',
    );
  });

  it('judges complaints only once 1,000 messages were sent', () => {
    const counts = { sent: COMPLAINT_MIN_SENT - 1, bouncedPermanent: 0, complained: 5 };
    expect(rateBreach(counts, thresholds)).toBe(undefined);
    expect(rateBreach({ ...counts, sent: 1200, complained: 2 }, thresholds)).toBe(
      'complaint rate 0.17 % after 1,200 sent',
    );
  });

  it('lets a complaint rate at its threshold go on', () => {
    expect(rateBreach({ sent: 2000, bouncedPermanent: 0, complained: 2 }, thresholds)).toBe(
      undefined,
    );
  });

  it('measures from the baseline of the last resume: the bounces before it do not count', () => {
    const now = { sent: 600, bouncedPermanent: 40, complained: 0 };
    const baseline = { sent: 400, bouncedPermanent: 38, complained: 0 };
    // 40 of 600 is 6.7 %, but since the resume 2 of 200: 1 %.
    expect(rateBreach(now, thresholds, baseline)).toBe(undefined);
    expect(rateBreach({ ...now, bouncedPermanent: 50 }, thresholds, baseline)).toBe(
      'bounce rate 6.0 % after 200 sent',
    );
  });

  it('waits for pauseMinOutcomes messages sent after the resume', () => {
    const baseline = { sent: 400, bouncedPermanent: 38, complained: 0 };
    expect(
      rateBreach({ sent: 450, bouncedPermanent: 60, complained: 0 }, thresholds, baseline),
    ).toBe(undefined);
  });

  it('follows the configured thresholds', () => {
    const strict = { ...thresholds, pauseMinOutcomes: 10, pauseBounceRate: 0.01 };
    expect(rateBreach({ sent: 50, bouncedPermanent: 1, complained: 0 }, strict)).toBe(
      'bounce rate 2.0 % after 50 sent',
    );
  });
});
