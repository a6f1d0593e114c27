import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { coalescedRuns } from '#cli/studio/coalesced-runs.ts';

// The clock is faked: "quiet for 75 ms" is a step of the test, not a wait.

/** A run that waits until the test lets it end, and records what it was given. */
function gatedRuns() {
  const batches: string[][] = [];
  const gates: (() => void)[] = [];
  let running = 0;
  let most = 0;
  const run = async (items: string[]) => {
    batches.push(items);
    running++;
    most = Math.max(most, running);
    await new Promise<void>((resolve) => gates.push(resolve));
    running--;
  };
  return { batches, run, release: () => gates.shift()?.(), most: () => most };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('coalescedRuns', () => {
  it('runs once over a burst of changes, each change once, after the quiet time', async () => {
    const gated = gatedRuns();
    const runs = coalescedRuns(gated.run, () => {}, 75);

    runs.add('a.hbs');
    await vi.advanceTimersByTimeAsync(50);
    runs.add('b.hbs');
    runs.add('a.hbs');
    await vi.advanceTimersByTimeAsync(74);
    const early = gated.batches.length;
    await vi.advanceTimersByTimeAsync(1);

    expect(early).toBe(0);
    expect(gated.batches).toEqual([['a.hbs', 'b.hbs']]);
    gated.release();
    await runs.idle();
  });

  it('never runs two at once: a change during a run makes one more run after it, over what it missed', async () => {
    const gated = gatedRuns();
    const runs = coalescedRuns(gated.run, () => {}, 75);

    runs.add('a.hbs');
    await vi.advanceTimersByTimeAsync(75);
    runs.add('b.hbs');
    runs.add('c.hbs');
    await vi.advanceTimersByTimeAsync(500);
    const duringFirst = gated.batches.length;
    gated.release();
    await vi.advanceTimersByTimeAsync(0);
    gated.release();
    await runs.idle();

    expect(duringFirst).toBe(1);
    expect(gated.batches).toEqual([['a.hbs'], ['b.hbs', 'c.hbs']]);
    expect(gated.most()).toBe(1);
  });

  it('gives a failed run to its reporter and runs the next change all the same', async () => {
    const failures: unknown[] = [];
    const seen: string[][] = [];
    const runs = coalescedRuns(
      async (items) => {
        seen.push(items);
        if (items.includes('bad')) throw new Error('cannot read');
      },
      (error) => failures.push(error),
      75,
    );

    runs.add('bad');
    await vi.advanceTimersByTimeAsync(75);
    runs.add('good');
    await vi.advanceTimersByTimeAsync(75);
    await runs.idle();

    expect(seen).toEqual([['bad'], ['good']]);
    expect(failures.map((error) => (error as Error).message)).toEqual(['cannot read']);
  });

  it('after close, runs nothing more, and close waits for the run under way', async () => {
    const gated = gatedRuns();
    const runs = coalescedRuns(gated.run, () => {}, 75);
    runs.add('a.hbs');
    await vi.advanceTimersByTimeAsync(75);
    runs.add('b.hbs');

    const closing = runs.close();
    let closed = false;
    void closing.then(() => {
      closed = true;
    });
    await vi.advanceTimersByTimeAsync(500);
    const closedBeforeRelease = closed;
    gated.release();
    await closing;
    runs.add('c.hbs');
    await vi.advanceTimersByTimeAsync(500);

    expect(closedBeforeRelease).toBe(false);
    expect(gated.batches).toEqual([['a.hbs']]);
  });
});
