import type { LogLine } from '#core/common/log-line.ts';
import { withoutAddresses } from '#core/common/without-addresses.ts';
import {
  eraseStalePendings,
  type StalePendingDeps,
} from '#core/subscribers/erase-stale-pendings.ts';
import {
  type DueConfirmationDeps,
  type DueConfirmationsOutcome,
  sendDueConfirmations,
} from '#core/subscribers/send-due-confirmations.ts';
import { type SchedulerClock, systemClock } from './local-scheduler.ts';

/** Seconds between two runs of the confirmations job locally (on AWS: the minute tick). */
export const LOCAL_CONFIRMATION_SECONDS = 2;
const DAY_MS = 24 * 3600_000;

export interface SignupJobsOptions {
  /** The jobs' ports: made at the first run, and again after a failure to make them. */
  createDeps(): Promise<DueConfirmationDeps & StalePendingDeps>;
  /** `handlers.log`: what each run did (counts only), and failures. */
  log: LogLine;
  clock?: SchedulerClock;
  /** Default: `LOCAL_CONFIRMATION_SECONDS`. */
  confirmEverySeconds?: number;
}

/** Running sign-up jobs. */
export interface SignupJobs {
  /** Resolves once no run is under way or waiting to start. */
  idle(): Promise<void>;
  /** Stops the timers and waits for the run under way, if any. */
  stop(): Promise<void>;
}

/**
 * The sign-up jobs that `newsletter serve` runs, as the issue builder's schedules run them on
 * AWS: `sendDueConfirmations` at once and then every few seconds (the public form only queues
 * a sign-up), and `eraseStalePendings` at once and then daily. One run at a time: a job due
 * while another runs waits for it. A failed run is logged, and the next one comes as usual.
 */
export function startSignupJobs(options: SignupJobsOptions): SignupJobs {
  const clock = options.clock ?? systemClock;
  const every = (options.confirmEverySeconds ?? LOCAL_CONFIRMATION_SECONDS) * 1000;
  let deps: Promise<DueConfirmationDeps & StalePendingDeps> | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const timers = new Set<unknown>();

  const run = (
    job: string,
    work: (ready: DueConfirmationDeps & StalePendingDeps) => Promise<void>,
  ) => {
    running = running.then(async () => {
      if (stopped) return;
      try {
        deps ??= options.createDeps().catch((error: unknown) => {
          deps = undefined;
          throw error;
        });
        await work(await deps);
      } catch (error) {
        options.log({
          level: 'error',
          message: `${job} failed`,
          error: withoutAddresses(String(error)),
        });
      }
    });
    return running;
  };
  const repeat = (ms: number, job: () => Promise<void>) => {
    const next = () => {
      const timer = clock.setTimer(() => {
        timers.delete(timer);
        if (stopped) return;
        void job().then(() => {
          if (!stopped) next();
        });
      }, ms);
      timers.add(timer);
    };
    void job().then(() => {
      if (!stopped) next();
    });
  };

  // What the last logged run left waiting, so that a wait is told once, not every run.
  let waiting = JSON.stringify([undefined, undefined]);
  repeat(every, () =>
    run('sign-up confirmations', async (ready) => {
      const outcome = await sendDueConfirmations(ready);
      const line = describe(outcome);
      const now = JSON.stringify([line.deferred, line.until]);
      if (outcome.stored + outcome.sent + outcome.dropped > 0 || now !== waiting) {
        options.log({ message: 'sign-up confirmations', ...line });
      }
      waiting = now;
    }),
  );
  repeat(DAY_MS, () =>
    run('stale sign-ups erasure', async (ready) => {
      const erased = await eraseStalePendings(ready);
      options.log({ message: 'stale sign-ups erased', erased });
    }),
  );
  return {
    async idle() {
      for (let seen: Promise<void> | undefined; seen !== running; ) {
        seen = running;
        await seen;
      }
    },
    async stop() {
      stopped = true;
      for (const timer of timers) clock.clearTimer(timer);
      timers.clear();
      await running;
    },
  };
}

function describe(outcome: DueConfirmationsOutcome): Record<string, unknown> {
  const { deferred, ...counts } = outcome;
  if (!deferred) return counts;
  return {
    ...counts,
    deferred: deferred.reason,
    ...(deferred.reason === 'budget' ? { until: deferred.until.toISOString() } : {}),
  };
}
