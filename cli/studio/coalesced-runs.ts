/** Milliseconds of quiet after a change before the run: an editor's save is a burst. */
export const DEFAULT_QUIET_MS = 75;

/** Runs of work, each over the changes gathered since the last. */
export interface CoalescedRuns {
  /** A change: the next run includes `item`, once. */
  add(item: string): void;
  /** Resolves once no run is due or under way. */
  idle(): Promise<void>;
  /** Drops what is due and waits for the run under way. */
  close(): Promise<void>;
}

/**
 * Gathers changes and runs `run` over them once they have been quiet for `quietMs`, never
 * two runs at once: a change during a run makes one more run after it, over every change it
 * missed. A run that fails is given to `failed`, and the next runs go on.
 */
export function coalescedRuns(
  run: (items: string[]) => Promise<void>,
  failed: (error: unknown) => void,
  quietMs = DEFAULT_QUIET_MS,
): CoalescedRuns {
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let closed = false;
  let waiters: (() => void)[] = [];

  const settleIfIdle = () => {
    if (timer || running || pending.size > 0) return;
    for (const resolve of waiters.splice(0)) resolve();
  };
  const start = () => {
    timer = undefined;
    if (running || closed) {
      settleIfIdle();
      return;
    }
    const items = [...pending];
    pending = new Set();
    running = run(items)
      .catch(failed)
      .finally(() => {
        running = undefined;
        if (pending.size > 0 && !closed && !timer) start();
        else settleIfIdle();
      });
  };

  return {
    add(item) {
      if (closed) return;
      pending.add(item);
      clearTimeout(timer);
      timer = setTimeout(start, quietMs);
    },
    idle() {
      return new Promise((resolve) => {
        waiters.push(resolve);
        settleIfIdle();
      });
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
      pending = new Set();
      await running;
      for (const resolve of waiters.splice(0)) resolve();
      waiters = [];
    },
  };
}
