import { describe, expect, it } from 'vitest';
import type { RateCounters } from '#core/subscribers/ports.ts';

const T0 = new Date('2025-03-07T08:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

/** What every `RateCounters` promises; `makeSubject` gives empty counters each time. */
export function describeRateCountersContract(
  name: string,
  makeSubject: () => RateCounters | Promise<RateCounters>,
) {
  describe(`${name} keeps the RateCounters contract`, () => {
    it('counts up to the limit in a window, then refuses until the window closes', async () => {
      const counters = await makeSubject();

      const counted = [];
      for (let n = 0; n < 4; n++) counted.push(await counters.count('key', 3, 3600, at(n * 10)));

      expect(counted).toEqual([
        { counted: true },
        { counted: true },
        { counted: true },
        { counted: false, until: at(3600) },
      ]);
    });

    it('opens a new window once the last one has closed, its item still there', async () => {
      const counters = await makeSubject();
      await counters.count('key', 1, 3600, at(0));

      const before = await counters.count('key', 1, 3600, at(3599));
      const after = await counters.count('key', 1, 3600, at(3600));
      const next = await counters.count('key', 1, 3600, at(3601));

      expect(before).toEqual({ counted: false, until: at(3600) });
      expect(after).toEqual({ counted: true });
      expect(next).toEqual({ counted: false, until: at(7200) });
    });

    it('keeps each key apart', async () => {
      const counters = await makeSubject();
      await counters.count('one', 1, 60, at(0));

      expect(await counters.count('two', 1, 60, at(0))).toEqual({ counted: true });
      expect(await counters.count('one', 1, 60, at(0))).toEqual({ counted: false, until: at(60) });
    });

    it('counts no more than the limit of many requests at once', async () => {
      const counters = await makeSubject();

      const results = await Promise.all(
        Array.from({ length: 12 }, () => counters.count('key', 5, 3600, at(0))),
      );

      expect(results.filter((result) => result.counted)).toHaveLength(5);
    });
  });
}
