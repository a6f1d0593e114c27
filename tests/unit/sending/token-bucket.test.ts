import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TokenBucket } from '#core/sending/token-bucket.ts';
import { ManualClock } from '../fakes/memory-sending.ts';

/** Takes `count` tokens one after the other; the clock's time at each grant. */
async function grants(bucket: TokenBucket, clock: ManualClock, count: number) {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    await bucket.take();
    times.push(clock.now());
  }
  return times;
}

/** The most grants in any window of one second. */
function worstSecond(times: number[]): number {
  let worst = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while ((times[end] as number) - (times[start] as number) >= 1000) start++;
    worst = Math.max(worst, end - start + 1);
  }
  return worst;
}

describe('TokenBucket', () => {
  it('spaces calls evenly at its rate', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(10, clock);

    const times = await grants(bucket, clock, 21);

    expect(times.at(-1)).toBeCloseTo(2000, 6);
    expect(times[1]).toBeCloseTo(100, 6);
  });

  it('lets no burst through after a long idle time', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(100, clock);
    clock.time = 60_000;

    const times = await grants(bucket, clock, 101);

    // One token and 10 ms of slack are all an idle bucket holds.
    expect(times.filter((time) => time === 60_000)).toHaveLength(2);
    expect(worstSecond(times)).toBeLessThanOrEqual(100 * 1.01 + 1);
  });

  it('serves waiting callers in the order they asked', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(5, clock);
    const order: number[] = [];

    await Promise.all([1, 2, 3, 4].map((n) => bucket.take().then(() => order.push(n))));

    expect(order).toEqual([1, 2, 3, 4]);
  });

  it('refuses a rate that is not a positive number', () => {
    expect(() => new TokenBucket(0)).toThrow(RangeError);
    expect(() => new TokenBucket(Number.NaN)).toThrow(RangeError);
  });

  it('never grants more than 1 % above its rate in any second, whatever the pauses', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.double({ min: 0.5, max: 2000, noNaN: true }),
        fc.array(fc.nat({ max: 3000 }), { minLength: 1, maxLength: 60 }),
        async (rate, pauses) => {
          const clock = new ManualClock();
          const bucket = new TokenBucket(rate, clock);
          const times: number[] = [];
          for (const pause of pauses) {
            clock.time += pause;
            await bucket.take();
            times.push(clock.now());
          }
          expect(worstSecond(times)).toBeLessThanOrEqual(Math.floor(rate * 1.01 + 1));
        },
      ),
    );
  });
});
