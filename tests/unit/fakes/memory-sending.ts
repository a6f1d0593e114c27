import type { EventBacklog } from '#core/events/ports.ts';
import type { RenderedIssueStore } from '#core/issues/ports.ts';
import type { RenderedIssue } from '#core/rendering/render-issue.ts';
import type { PrepareStep, SendPage, SendQueue, SendQuota } from '#core/sending/ports.ts';
import type { Clock } from '#core/sending/token-bucket.ts';

/** In-memory fakes of the sending ports, for unit tests. */
export class MemorySendQueue implements SendQueue {
  readonly messages: { page: SendPage; delaySeconds: number }[] = [];
  readonly steps: PrepareStep[] = [];
  /** What `isIdle` answers; default: idle when nothing was enqueued. */
  idle?: boolean;
  async enqueue(messages: readonly (SendPage | PrepareStep)[], delaySeconds = 0) {
    for (const message of messages) {
      if ('prepareFrom' in message) this.steps.push(structuredClone(message));
      else this.messages.push({ page: structuredClone(message), delaySeconds });
    }
  }
  async isIdle() {
    return this.idle ?? this.messages.length === 0;
  }
  /** Every subscriber id enqueued, in order. */
  get subscriberIds() {
    return this.messages.flatMap((message) => message.page.subscriberIds);
  }
}

export class FakeEventBacklog implements EventBacklog {
  drained = true;
  calls = 0;
  async isDrained() {
    this.calls++;
    return this.drained;
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
  async put(rendered: RenderedIssue) {
    this.items.set(rendered.issueId, structuredClone(rendered));
  }
  async get(issueId: string) {
    return this.items.get(issueId);
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
