import { describe, expect, it } from 'vitest';
import {
  inFlight,
  type PagePlanOptions,
  pageSize,
  pageSizes,
  senderRate,
  splitIntoPages,
} from '#core/sending/send-pacing.ts';

/**
 * When each sender ends, in seconds, if `senders` senders at `rate / senders` each take the
 * pages in the order given, each the next one as soon as it is free (as they take them from
 * the queue), and a page takes its size over the sender's rate.
 */
function finishTimes(sizes: readonly number[], rate: number, senders: number): number[] {
  const perSender = senderRate(rate, senders);
  const free = Array<number>(senders).fill(0);
  for (const size of sizes) {
    const next = free.indexOf(Math.min(...free));
    free[next] = (free[next] as number) + size / perSender;
  }
  return free;
}

const PLANS: PagePlanOptions[] = [
  { configured: 100, issueRate: 50, maxConcurrency: 2 },
  { configured: 100, issueRate: 100, maxConcurrency: 2 },
  { configured: 100, issueRate: 14, maxConcurrency: 2 },
  { configured: 100, issueRate: 1000, maxConcurrency: 16 },
  { configured: 100, issueRate: 30, maxConcurrency: 3 },
  { configured: 1000, issueRate: 200, maxConcurrency: 2 },
];
const COUNTS = [1, 7, 300, 1001, 10_000];
const CASES = PLANS.flatMap((plan) => COUNTS.map((count) => ({ count, ...plan })));

describe('send pacing', () => {
  it('gives each of the senders that may run at once an equal share of the rate', () => {
    expect(senderRate(14, 2)).toBe(7);
    expect(senderRate(1000, 16)).toBe(62.5);
  });

  it('makes pages that one sender sends in about ten seconds, at most the configured size', () => {
    expect(pageSize(100, 14, 2)).toBe(70);
    expect(pageSize(100, 1000, 16)).toBe(100);
    expect(pageSize(100, 0.05, 2)).toBe(1);
  });

  it('keeps enough messages in flight for half a second of latency each, 2 to 32', () => {
    expect(inFlight(1)).toBe(2);
    expect(inFlight(50)).toBe(25);
    expect(inFlight(500)).toBe(32);
  });
});

describe('the page plan', () => {
  it('cuts 300 recipients at 50/s for 2 senders into two rounds of 75, not three pages of 100', () => {
    expect(pageSizes(300, { configured: 100, issueRate: 50, maxConcurrency: 2 })).toEqual([
      75, 75, 75, 75,
    ]);
  });

  it('keeps full pages when they divide evenly among the senders', () => {
    const sizes = pageSizes(10_000, { configured: 100, issueRate: 100, maxConcurrency: 2 });
    expect(sizes).toEqual(Array(100).fill(100));
  });

  it('gives fewer recipients than senders a page each', () => {
    expect(pageSizes(1, { configured: 100, issueRate: 50, maxConcurrency: 2 })).toEqual([1]);
    expect(pageSizes(7, { configured: 100, issueRate: 1000, maxConcurrency: 16 })).toEqual(
      Array(7).fill(1),
    );
    expect(pageSizes(0, { configured: 100, issueRate: 50, maxConcurrency: 2 })).toEqual([]);
  });

  it('splits 7 recipients as evenly as two senders allow, the larger page first', () => {
    expect(pageSizes(7, { configured: 100, issueRate: 50, maxConcurrency: 2 })).toEqual([4, 3]);
  });

  it.each(CASES)(
    'puts each of $count recipients in exactly one page, in order (rate $issueRate, $maxConcurrency senders, pages of $configured at most)',
    ({ count, ...plan }) => {
      const ids = Array.from({ length: count }, (_, i) => `s${i}`);

      const pages = splitIntoPages(ids, plan);

      expect(pages.flat()).toEqual(ids);
      expect(pages.map((page) => page.length)).toEqual(pageSizes(count, plan));
    },
  );

  it.each(CASES)(
    'makes whole rounds of pages no larger than the largest page, differing by one at most ($count recipients, rate $issueRate, $maxConcurrency senders)',
    ({ count, ...plan }) => {
      const sizes = pageSizes(count, plan);
      const largest = pageSize(plan.configured, plan.issueRate, plan.maxConcurrency);

      expect(Math.max(...sizes)).toBeLessThanOrEqual(largest);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      expect(sizes.length % plan.maxConcurrency === 0 || sizes.length === count).toBe(true);
      expect(sizes.length).toBe(
        Math.min(count, plan.maxConcurrency * Math.ceil(count / (plan.maxConcurrency * largest))),
      );
    },
  );

  it.each(CASES)(
    'lets the senders end within one message of each other ($count recipients, rate $issueRate, $maxConcurrency senders)',
    ({ count, ...plan }) => {
      const ends = finishTimes(pageSizes(count, plan), plan.issueRate, plan.maxConcurrency);
      const oneMessage = 1 / senderRate(plan.issueRate, plan.maxConcurrency);
      const busy = ends.filter((end) => end > 0);

      // The last sender ends when the send would at the full rate, rounded up to a message.
      expect(Math.max(...ends)).toBeCloseTo(Math.ceil(count / plan.maxConcurrency) * oneMessage, 9);
      expect(Math.max(...busy) - Math.min(...busy)).toBeLessThanOrEqual(oneMessage + 1e-9);
    },
  );

  it('ends 300 recipients at 50/s in 6 s where pages of 100 took 8 s', () => {
    const plan = { configured: 100, issueRate: 50, maxConcurrency: 2 };

    expect(Math.max(...finishTimes(pageSizes(300, plan), 50, 2))).toBeCloseTo(6, 9);
    expect(Math.max(...finishTimes([100, 100, 100], 50, 2))).toBeCloseTo(8, 9);
  });
});
