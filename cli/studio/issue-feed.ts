import type { LogLine } from '#core/common/log-line.ts';
import { withoutAddresses } from '#core/common/without-addresses.ts';

/** Milliseconds between two looks at the issues underway. */
const EVERY_MS = 1_000;

/**
 * Where the feed reads issues: locally the editor API's ports (`localIssueReports`), on a
 * deployed stack its editor API (`remoteIssueReports`).
 */
export interface IssueReports {
  /** The ids of the issues sending or paused. */
  underway(): Promise<string[]>;
  /** What `GET /api/issues/:id` answers for the issue; undefined when there is none. */
  report(issueId: string): Promise<unknown>;
}

/** What the feed reads issues through, and where it sends their reports. */
export interface IssueFeedOptions {
  reports: IssueReports;
  /** Whether anyone listens: the feed reads nothing while no page is connected. */
  listening(): boolean;
  /** Sends one `issue` event: what `GET /api/issues/:id` answers. */
  send(report: unknown): void;
  log: LogLine;
  /** Milliseconds between two looks; default 1 s. */
  everyMs?: number;
}

/**
 * The `issue` events of the studio: while a page listens, about every second the report of
 * each issue that is sending or paused (its counters, a few reads), and once more the report
 * of one that stopped being so (sent, cancelled: its last state); and once after any change
 * made through the studio (`announce`). Each report is what `GET /api/issues/:id` answers
 * (`issueReportNow`), so an issue whose every message has its outcome is marked sent here too.
 */
export class IssueFeed {
  private readonly everyMs: number;
  private underway = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: IssueFeedOptions) {
    this.everyMs = options.everyMs ?? EVERY_MS;
    this.schedule();
  }

  /** Sends the report of an issue changed through the studio, whatever its state. */
  announce(issueId: string): void {
    if (!this.options.listening()) return;
    this.report(issueId).catch((error: unknown) => this.fail('announce', error));
  }

  /** Stops looking, once the look under way (if any) is done. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.look()
        .catch((error: unknown) => this.fail('follow', error))
        .finally(() => {
          this.running = undefined;
          this.schedule();
        });
    }, this.everyMs);
    this.timer.unref();
  }

  private async look(): Promise<void> {
    if (!this.options.listening()) {
      this.underway.clear();
      return;
    }
    const ids = new Set(await this.options.reports.underway());
    const ended = [...this.underway].filter((issueId) => !ids.has(issueId));
    this.underway = ids;
    for (const issueId of [...ids, ...ended]) await this.report(issueId);
  }

  private async report(issueId: string): Promise<void> {
    const report = await this.options.reports.report(issueId);
    if (report !== undefined) this.options.send(report);
  }

  private fail(what: string, error: unknown): void {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.options.log({
      level: 'error',
      message: `studio issue feed: ${what} failed`,
      error: withoutAddresses(text),
    });
  }
}
