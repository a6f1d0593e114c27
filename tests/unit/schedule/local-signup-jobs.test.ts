import { afterEach, describe, expect, it } from 'vitest';
import type { SchedulerClock } from '#cli/local/local-scheduler.ts';
import { type SignupJobs, startSignupJobs } from '#cli/local/local-signup-jobs.ts';
import { sendDueConfirmations } from '#core/subscribers/send-due-confirmations.ts';
import { subscribe } from '#core/subscribers/subscribe.ts';
import { memorySubscriptionDeps } from '../fakes/memory-subscription-stores.ts';

type Deps = ReturnType<typeof memorySubscriptionDeps>;

/** Waits for the runs under way, and for what they start once done. */
const settle = async () => {
  await jobs?.idle();
  await new Promise<void>((resolve) => setImmediate(resolve));
};

/** The scheduler's clock over the deps' manual clock: time moves when the test says. */
class TestClock implements SchedulerClock {
  private timers: { at: number; callback: () => void }[] = [];
  constructor(private readonly deps: Deps) {}
  now() {
    return this.deps.clock.time.getTime();
  }
  setTimer(callback: () => void, ms: number) {
    const timer = { at: this.now() + ms, callback };
    this.timers.push(timer);
    return timer;
  }
  clearTimer(timer: unknown) {
    this.timers = this.timers.filter((t) => t !== timer);
  }
  /** Moves time on by `ms`, firing each timer due on the way at its time. */
  async advance(ms: number) {
    const until = this.now() + ms;
    for (;;) {
      const next = this.timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.clearTimer(next);
      this.deps.clock.time = new Date(next.at);
      next.callback();
      await settle();
    }
    this.deps.clock.time = new Date(until);
    await settle();
  }
}

const DAY_MS = 24 * 3600_000;
let jobs: SignupJobs | undefined;
afterEach(async () => {
  await jobs?.stop();
  jobs = undefined;
});

function start(deps: Deps, options: { confirmEverySeconds?: number } = {}) {
  const clock = new TestClock(deps);
  const lines: Record<string, unknown>[] = [];
  jobs = startSignupJobs({
    createDeps: async () => deps,
    log: (line) => lines.push(line),
    clock,
    ...options,
  });
  return { clock, lines };
}

describe('the sign-up jobs of newsletter serve', () => {
  it('mail a queued sign-up at once, and those queued later within seconds', async () => {
    const deps = memorySubscriptionDeps();
    await subscribe(deps, { email: 'first@example.org' });
    const { clock, lines } = start(deps);
    await settle();
    const atStart = deps.mailer.sent.map((message) => message.to);
    await subscribe(deps, { email: 'second@example.org' });

    await clock.advance(2000);

    expect(atStart).toEqual(['first@example.org']);
    expect(deps.mailer.sent.map((message) => message.to)).toEqual([
      'first@example.org',
      'second@example.org',
    ]);
    expect(lines).toContainEqual({
      message: 'sign-up confirmations',
      stored: 1,
      sent: 1,
      dropped: 0,
    });
    expect(JSON.stringify(lines)).not.toContain('@');
  });

  it('say once that confirmations wait for the hourly budget, not at every run', async () => {
    const deps = memorySubscriptionDeps();
    deps.config.confirmationsPerHour = 1;
    await subscribe(deps, { email: 'first@example.org' });
    await subscribe(deps, { email: 'second@example.org' });
    const { clock, lines } = start(deps);
    await settle();

    await clock.advance(60_000);

    expect(lines.filter((line) => line.deferred === 'budget')).toEqual([
      {
        message: 'sign-up confirmations',
        stored: 2,
        sent: 1,
        dropped: 0,
        deferred: 'budget',
        until: '2025-03-07T09:00:00.000Z',
      },
    ]);
  });

  it('erase stale sign-ups at the start and then daily, logging how many', async () => {
    const deps = memorySubscriptionDeps();
    await subscribe(deps, { email: 'forgotten@example.org' });
    await sendDueConfirmations(deps);
    deps.clock.advance(31 * 24 * 60);
    const { clock, lines } = start(deps, { confirmEverySeconds: 40 * 24 * 3600 });
    await settle();
    const first = lines.filter((line) => line.message === 'stale sign-ups erased');
    await subscribe(deps, { email: 'later@example.org' });
    await sendDueConfirmations(deps);

    await clock.advance(31 * DAY_MS);

    expect(first).toEqual([{ message: 'stale sign-ups erased', erased: 1 }]);
    const daily = lines.filter((line) => line.message === 'stale sign-ups erased');
    expect(daily).toHaveLength(32);
    expect(daily.map((line) => line.erased)).toEqual([1, ...Array(30).fill(0), 1]);
    expect(deps.subscribers.items).toEqual([]);
  });

  it('log a failed run without the address it quoted, and go on with the next', async () => {
    const deps = memorySubscriptionDeps();
    await subscribe(deps, { email: 'reader@example.org' });
    deps.mailer.fail = (message) => new Error(`the mail service broke on ${message.to}`);
    const { clock, lines } = start(deps);
    await settle();
    deps.mailer.fail = () => undefined;

    await clock.advance(2000);

    expect(lines).toContainEqual({
      level: 'error',
      message: 'sign-up confirmations failed',
      error: 'Error: the mail service broke on [address]',
    });
    expect(deps.mailer.sent.map((message) => message.to)).toEqual(['reader@example.org']);
  });

  it('stop running once stopped', async () => {
    const deps = memorySubscriptionDeps();
    const { clock } = start(deps);
    await settle();
    await jobs?.stop();
    await subscribe(deps, { email: 'late@example.org' });

    await clock.advance(10_000);

    expect(deps.mailer.sent).toEqual([]);
  });
});
