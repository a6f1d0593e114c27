/** A monotonic clock in milliseconds and a way to wait; injectable for tests. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** `performance.now()` and `setTimeout`. */
export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/**
 * How much lateness of a timer the bucket absorbs, in seconds of tokens: a timer that fires a
 * little late costs no throughput, and no second ever sees more than this share above the rate.
 */
const SLACK_SECONDS = 0.01;

/**
 * Paces calls to `rate` per second. Tokens accrue continuously; the bucket holds at most one
 * token plus 10 ms worth (so any one-second window sees at most `rate × 1.01 + 1` calls, and
 * an idle bucket allows no burst beyond that). Waiters are served in the order they asked.
 */
export class TokenBucket {
  readonly capacity: number;
  private tokens: number;
  private last: number;
  private turn: Promise<void> = Promise.resolve();

  /**
   * @param rate tokens per second, more than 0
   * @param clock default: the system clock
   */
  constructor(
    readonly rate: number,
    private readonly clock: Clock = systemClock,
  ) {
    if (!(rate > 0) || !Number.isFinite(rate)) {
      throw new RangeError(`a send rate must be a positive number, got ${rate}`);
    }
    this.capacity = 1 + rate * SLACK_SECONDS;
    this.tokens = 1;
    this.last = clock.now();
  }

  /** Resolves when the caller may make one call. */
  take(): Promise<void> {
    const mine = this.turn.then(() => this.wait());
    this.turn = mine;
    return mine;
  }

  private async wait(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) * this.rate) / 1000);
      this.last = now;
      // Within rounding of a whole token: sleeping for a rounding error would never end.
      if (this.tokens >= 1 - 1e-9) {
        this.tokens = Math.max(0, this.tokens - 1);
        return;
      }
      await this.clock.sleep(((1 - this.tokens) * 1000) / this.rate);
    }
  }
}
