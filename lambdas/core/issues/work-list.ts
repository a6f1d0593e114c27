import type { Config } from '../common/config.ts';
import type { SendPage, SendQueue } from '../sending/ports.ts';
import { type PagePlanOptions, splitIntoPages } from '../sending/send-pacing.ts';
import type { Issue } from './ports.ts';

/** Subscribers read per page while preparing the ledger, and recipients cut at once. */
export const PREPARE_PAGE = 1000;
/** Pages handed to the queue at once (its adapter batches them further). */
const ENQUEUE_BATCH = 100;

/** What putting recipients on the send queue needs. */
export interface WorkListDeps {
  config: Pick<Config, 'sendRate' | 'sendConcurrency' | 'sendPageSize'>;
  queue: Pick<SendQueue, 'enqueue'>;
}

/** How the issue's recipients are cut into pages (see `pageSizes`). */
export function pagePlan(config: WorkListDeps['config'], issue: Issue): PagePlanOptions {
  return {
    configured: config.sendPageSize,
    issueRate: issue.rate ?? config.sendRate,
    maxConcurrency: config.sendConcurrency,
  };
}

/**
 * Recipients of one issue put on the send queue as they are added, cut as `prepareIssue`
 * cuts a read of the list: up to {@link PREPARE_PAGE} at a time into whole rounds of equal
 * pages, so that the senders end each round together. Pages go to the queue
 * {@link ENQUEUE_BATCH} at a time; `close` sends the rest.
 */
export class WorkList {
  private readonly plan: PagePlanOptions;
  private pages: SendPage[] = [];
  private current: string[] = [];
  private added = 0;

  constructor(
    private readonly deps: WorkListDeps,
    private readonly issue: Issue,
  ) {
    this.plan = pagePlan(deps.config, issue);
  }

  /** Adds a recipient; may hand a batch of pages to the queue. */
  async add(subscriberId: string): Promise<void> {
    this.current.push(subscriberId);
    this.added++;
    if (this.current.length < PREPARE_PAGE) return;
    this.cut();
    if (this.pages.length >= ENQUEUE_BATCH) await this.flush();
  }

  /**
   * Cuts and enqueues what is left.
   * @returns how many recipients were added in all
   */
  async close(): Promise<number> {
    this.cut();
    await this.flush();
    return this.added;
  }

  private cut(): void {
    for (const subscriberIds of splitIntoPages(this.current, this.plan)) {
      this.pages.push({ issueId: this.issue.issueId, subscriberIds });
    }
    this.current = [];
  }

  private async flush(): Promise<void> {
    if (this.pages.length > 0) await this.deps.queue.enqueue(this.pages);
    this.pages = [];
  }
}
