import type { EventBacklog } from '#core/events/ports.ts';
import type { RenderedIssueStore } from '#core/issues/ports.ts';
import type { RenderedIssue } from '#core/rendering/render-issue.ts';
import type {
  CancelStep,
  PrepareStep,
  SendPage,
  SendQueue,
  SendQueueMessage,
  SendQuota,
} from '#core/sending/ports.ts';
import type { Clock } from '#core/sending/token-bucket.ts';

/** In-memory fakes of the sending ports, for unit tests. */
export class MemorySendQueue implements SendQueue {
  readonly messages: { page: SendPage; delaySeconds: number }[] = [];
  readonly steps: PrepareStep[] = [];
  readonly cancels: CancelStep[] = [];
  /** What `isIdle` answers; default: idle when nothing was enqueued. */
  idle?: boolean;
  async enqueue(messages: readonly SendQueueMessage[], delaySeconds = 0) {
    for (const message of messages) {
      if ('prepareFrom' in message) this.steps.push(structuredClone(message));
      else if ('finishCancel' in message) this.cancels.push(structuredClone(message));
      else this.messages.push({ page: structuredClone(message), delaySeconds });
    }
  }
  async isIdle() {
    return this.idle ?? this.messages.length + this.steps.length + this.cancels.length === 0;
  }
  /** Every subscriber id enqueued, in order. */
  get subscriberIds() {
    return this.messages.flatMap((message) => message.page.subscriberIds);
  }
}

/**
 * SES events waiting where a test says: `queued` in the events queue, `deadLettered` in its
 * dead-letter queue. `drained = false` stands for events in the events queue.
 */
export class FakeEventBacklog implements EventBacklog {
  queued = false;
  deadLettered = false;
  /** How many times the sender asked `isDrained`. */
  calls = 0;
  get drained() {
    return !this.queued && !this.deadLettered;
  }
  set drained(drained: boolean) {
    this.queued = !drained;
    this.deadLettered = false;
  }
  async isDrained() {
    this.calls++;
    return this.drained;
  }
  async backlog() {
    return { queued: this.queued, deadLettered: this.deadLettered };
  }
}

export class FixedQuota implements SendQuota {
  constructor(public rate: number | undefined) {}
  async maxSendRate() {
    return this.rate;
  }
}

export class MemoryRenderedIssueStore implements RenderedIssueStore {
  readonly items = new Map<string, RenderedIssue>();
  async put(rendered: RenderedIssue, sha256: string) {
    this.items.set(`${rendered.issueId}/${sha256}`, structuredClone(rendered));
  }
  async get(issueId: string, sha256: string) {
    const rendered = this.items.get(`${issueId}/${sha256}`);
    return rendered && structuredClone(rendered);
  }
}

/** A clock that only moves when a test (or a sleeper) moves it. */
export class ManualClock implements Clock {
  time = 0;
  readonly sleeps: number[] = [];
  now() {
    return this.time;
  }
  async sleep(ms: number) {
    this.sleeps.push(ms);
    this.time += ms;
  }
}

/**
 * A clock that moves only when every task of the work it runs waits on it, and then to the
 * earliest wake-up: the times a real clock would give concurrent tasks, without waiting. For
 * work whose only waits are the clock's and promises (the in-memory fakes).
 */
export class SteppedClock implements Clock {
  time = 0;
  /** Every sleep asked for, in milliseconds, in the order asked. */
  readonly sleeps: number[] = [];
  private readonly sleepers: { at: number; wake: () => void }[] = [];
  now() {
    return this.time;
  }
  sleep(ms: number) {
    this.sleeps.push(ms);
    return new Promise<void>((wake) => {
      this.sleepers.push({ at: this.time + Math.max(0, ms), wake });
    });
  }
  /**
   * Runs `work` to its end, waking one sleeper at a time once everything else waits. Work
   * that waits on something else for a while (a stream of a library) is let run meanwhile.
   */
  async run<T>(work: Promise<T>): Promise<T> {
    let done = false;
    const ended = work.finally(() => {
      done = true;
    });
    for (let idle = 0; ; ) {
      // A macrotask: every promise continuation queued so far has run by then.
      await new Promise((resolve) => setImmediate(resolve));
      if (done) return ended;
      // A stable sort: sleepers due at the same time wake in the order they slept.
      this.sleepers.sort((a, b) => a.at - b.at);
      const next = this.sleepers.shift();
      if (next) {
        idle = 0;
        this.time = next.at;
        next.wake();
      } else if (++idle > 10_000) {
        throw new Error('the work neither ends nor sleeps on this clock');
      }
    }
  }
}
