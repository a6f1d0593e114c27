import type { ArticleStore } from '../articles/ports.ts';
import type { Config } from '../common/config.ts';
import type { EventBacklog } from '../events/ports.ts';
import type { MediaStore } from '../media/ports.ts';
import type { IssueView } from '../rendering/issue-view.ts';
import type { RenderedIssue } from '../rendering/render-issue.ts';
import type { SendLeases, SendLedger, SendQueue, SendQuota } from '../sending/ports.ts';
import type { SubscriberPages } from '../subscribers/ports.ts';
import type { IssueSettings } from './compose-issue.ts';
import type { IssueStore, RenderedIssueStore } from './ports.ts';

/** What drafting, rendering, starting and following an issue need. */
export interface IssueDeps {
  config: IssueSettings &
    Pick<
      Config,
      | 'sendRate'
      | 'sendConcurrency'
      | 'sendPageSize'
      | 'listId'
      | 'fromEmail'
      | 'canaryPercent'
      | 'canaryWaitMinutes'
      | 'pauseMinOutcomes'
    >;
  articles: ArticleStore;
  subscriberPages: SubscriberPages;
  issues: IssueStore;
  ledger: SendLedger;
  queue: SendQueue;
  quota: SendQuota;
  /**
   * Where SES events wait: an issue whose unknown outcomes only dead-lettered events could
   * settle is marked sent without them (`finishIssue`).
   */
  events: Pick<EventBacklog, 'backlog'>;
  /**
   * Seconds an unknown outcome waits for SES's `Send` event, as the senders of this issue
   * use it (`sendUnknownWindowSeconds`, locally `localSendUnknownWindowSeconds`).
   */
  unknownWindowSeconds: number;
  renderedIssues: RenderedIssueStore;
  /** Where the importer stored the photos: their sizes give the issue's image weight. */
  media: Pick<MediaStore, 'size'>;
  renderIssue(view: IssueView): Promise<RenderedIssue>;
  /** A new opaque ULID. */
  newId(): string;
  now(): Date;
  /** The senders' leases: a pause or a cancel waits until none can claim (`awaitSenders`). */
  leases: Pick<SendLeases, 'list'>;
  /** Waits; the system's timer, or a test's clock. */
  sleep(ms: number): Promise<void>;
  /** Keeps the issue as everyone may read it (no personal data) for "view in browser". */
  archive(issueId: string, content: { html: string; text: string }): Promise<void>;
}
