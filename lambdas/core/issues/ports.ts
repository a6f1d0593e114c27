import type { RenderedIssue } from '../rendering/render-issue.ts';
import type { RateCounts } from './rate-breach.ts';

/**
 * Where an issue is in its life: `draft → (scheduled →) sending ⇄ paused → sent`, a
 * scheduled issue back to `draft`, and `cancelled` from `draft`, `scheduled`, `sending` or
 * `paused` (see `issue-state.ts`).
 */
export type IssueState = 'draft' | 'scheduled' | 'sending' | 'paused' | 'sent' | 'cancelled';

/** One thing that happened to an issue, as its timeline shows it; never an address. */
export interface TimelineEntry {
  /** ISO 8601. */
  at: string;
  /** Who did it: `cli:<local user>`, `schedule`, or a system part such as `sender`. */
  actor: string;
  /**
   * What was done: `draft`, `render`, `test`, `send`, `pause`, `resume`, `cancel`, `sent`;
   * `canary` when the canary's recipients were picked or the canary ended.
   */
  action: string;
  /** A few plain words more, e.g. "version 2" or "3 addresses". */
  detail?: string;
}

/** An issue: which articles it carries, in order, how it was rendered, and where it stands. */
export interface Issue {
  /** Opaque ULID. */
  issueId: string;
  createdAt: string;
  subject: string;
  articleIds: string[];
  state: IssueState;
  /** The render's number: 1 for the first draft, one more for each `issues render`. */
  version: number;
  /** SHA-256 (hex) of the render of this version, as `renderHash` computes it. */
  sha256: string;
  /** When this version was rendered (ISO 8601). */
  renderedAt: string;
  /** The preheader the editor chose; absent: made from the headlines. */
  preheader?: string;
  /** The editor's note above the first story (plain text); absent: none. */
  intro?: string;
  /** When sending began (ISO 8601): from then on the issue carries its articles. */
  startedAt?: string;
  /** For a scheduled issue: when it is due (ISO 8601, UTC). */
  scheduledAt?: string;
  /**
   * For a cancelled issue: true once it is known that nobody was mailed, so that its articles
   * are candidates again. Absent: somebody may have been.
   */
  mailedNobody?: boolean;
  /** What happened to the issue, oldest first. */
  timeline: TimelineEntry[];
  /**
   * Messages per second for all senders together: SES's `MaxSendRate` when the issue was
   * created, or the editor's `--rate`. Absent on issues from before pacing (then the
   * configured `sendRate` applies).
   */
  rate?: number;
  /**
   * When the send ledger got a record for every subscriber (ISO 8601); until then the issue
   * cannot be done.
   */
  preparedAt?: string;
  /**
   * Where preparing the ledger left off (a cursor of `SubscriberPages.page`) while it is not
   * prepared; absent before the first page.
   */
  prepareCursor?: string;
  /**
   * What the issue's images weigh, measured when it was started (`weighImages`). Absent on
   * issues from before photos were weighed.
   */
  images?: ImageWeight;
  /**
   * Why the issue was marked done while some of its messages still had an unknown outcome;
   * absent when every message had its final outcome.
   */
  heldBy?: IssueHold;
  /**
   * The issue's canary, when `canaryPercent` was above 0 as it started: a share of the
   * recipients gets it first, the others are held back until it ends. Absent: no canary.
   */
  canary?: IssueCanary;
  /**
   * The issue's counts when it was last resumed: its bounce and complaint rates are measured
   * afresh from them (`rateBreach`). Absent: from the start of the send.
   */
  rateBaseline?: RateCounts;
}

/**
 * A canary: the issue goes first to `recipients` picked at random; the rest of the list, in
 * the ledger as `held`, waits until `until`, and goes unless the issue paused. All times are
 * ISO 8601. It holds (`canaryHolds`) until `endedAt` is written: when the wait is over
 * (`endCanary`), or by a resume.
 */
export interface IssueCanary {
  /** The share of the recipients it goes to first, in percent (`canaryPercent` at the start). */
  percent: number;
  /** How many recipients were picked; absent until the list is prepared. */
  recipients?: number;
  /** When the held recipients go; absent until the canary's recipients were picked. */
  until?: string;
  /** When it ended; absent while it holds. */
  endedAt?: string;
}

/**
 * What kept an issue's last messages from their outcome when it was marked done without
 * them (`deadLetterHold`). Those messages stay `unknown` and are never sent again; a later
 * `Send` event still turns them `sent`.
 */
export interface IssueHold {
  /**
   * `events-dead-letter-queue`: the SES events queue was empty but its dead-letter queue was
   * not, and may hold their `Send` events; redriving it settles them.
   */
  reason: 'events-dead-letter-queue';
  /** Messages of unknown outcome when the issue was marked done. */
  unknown: number;
  /** When the issue was marked done (ISO 8601). */
  at: string;
}

/**
 * The images an issue loads when a reader opens it, each distinct address once. They count
 * nothing in `htmlBudgetBytes` (Gmail clips on the HTML alone), but they are what a reader on
 * a phone downloads.
 */
export interface ImageWeight {
  /** Distinct image addresses in the HTML: `measured` + `unmeasured` + `missing`. */
  count: number;
  /** Stored photos (below the media base) whose size the media store gave. */
  measured: number;
  /** Bytes of the measured photos together. */
  bytes: number;
  /** Images hosted elsewhere, whose size is not known. */
  unmeasured: number;
  /** Addresses below the media base with nothing stored under them: broken images. */
  missing: number;
}

/** What `IssueStore.update` can change; `prepareCursor: null` removes it. */
export type IssueChanges = Partial<Pick<Issue, 'rate' | 'preparedAt' | 'mailedNobody'>> & {
  prepareCursor?: string | null;
};

/** Fields a change of state may write with it. */
export type IssueFields = Partial<
  Omit<Issue, 'issueId' | 'createdAt' | 'state' | 'timeline' | 'prepareCursor' | 'scheduledAt'>
> & {
  /** `null` removes it (a scheduled issue back to draft). */
  scheduledAt?: string | null;
};

/** One change of an issue's state, decided by one conditional write (`IssueStore.move`). */
export interface IssueMove {
  /** The states the issue may be in for the change to happen. */
  from: readonly IssueState[];
  to: IssueState;
  /** When given, the issue must also be at this version. */
  version?: number;
  /**
   * When given, the issue must also have a canary that has not ended and, for `unpicked`,
   * whose recipients were not picked yet (no `until`): of two processes that start or end a
   * canary at once, one wins.
   */
  canary?: 'unpicked' | 'holds';
  /** Fields written with the change. */
  changes?: IssueFields;
  /** Appended to the timeline. */
  entry: TimelineEntry;
}

/**
 * Where issues live (DynamoDB). What it returns is a copy: changing it changes nothing
 * stored until it is written back.
 */
export interface IssueStore {
  /** Records a new issue; rejects, leaving the stored one as it is, if the id exists. */
  create(issue: Issue): Promise<void>;
  /** The issue as last written, or undefined when there is none. */
  get(issueId: string): Promise<Issue | undefined>;
  /** Every issue, newest first (by `issueId`, a ULID). */
  list(): Promise<Issue[]>;
  /**
   * Changes an issue's state, writes `changes` and appends `entry` to its timeline, in one
   * conditional write: only while its state is one of `move.from` (and its version
   * `move.version`, its canary as `move.canary` says, when given). Of two editors, or an
   * editor and the schedule, acting at once on what they read, one wins and the other is
   * told.
   * @returns the issue as written, or undefined when it was not as expected (nothing written)
   * @throws IssueNotFoundError when there is no such issue
   */
  move(issueId: string, move: IssueMove): Promise<Issue | undefined>;
  /**
   * Changes fields of an existing issue; with `expected`, only while its `prepareCursor` is
   * that one (`null`: none), atomically. A field given as `undefined` is left as it is.
   * An update with nothing to change writes nothing and checks nothing (neither that the
   * issue exists nor `expected`): it resolves true.
   * @returns false when `expected` did not hold (nothing was written)
   * @throws IssueNotFoundError when there is no such issue (and something to change)
   */
  update(
    issueId: string,
    changes: IssueChanges,
    expected?: { prepareCursor: string | null },
  ): Promise<boolean>;
  /**
   * Makes `issueId` the one issue the list is sending, by one conditional write on a single
   * list-level item, so that two starts anywhere (two terminals, two machines, the schedule)
   * can never both win. It succeeds when no issue holds the slot or, given `replacing`, when
   * exactly that holder still does (a start that crashed, or an issue done whose release was
   * lost). The slot is no issue: `list` and `get` never return it.
   * @returns undefined when `issueId` now holds the slot, else the holder that kept it
   */
  takeSendingSlot(
    issueId: string,
    at: string,
    replacing?: SendingSlot,
  ): Promise<SendingSlot | undefined>;
  /** Frees the slot when `issueId` holds it; changes nothing otherwise. */
  releaseSendingSlot(issueId: string): Promise<void>;
  /**
   * Makes this version of a draft the one the schedule may send, replacing any approval
   * before: one list-level item, so at most one draft is approved at a time. `list` and `get`
   * never return it.
   */
  approve(approval: Approval): Promise<void>;
  /** The approval as last written, or undefined when there is none. */
  approval(): Promise<Approval | undefined>;
  /** Removes the approval when it names `issueId`; changes nothing otherwise. */
  clearApproval(issueId: string): Promise<void>;
}

/**
 * The draft the schedule may send, and which version of it: a new version is not approved
 * (`isApproved`).
 */
export interface Approval {
  issueId: string;
  version: number;
  /** When, and by whom (ISO 8601; an actor as in the timeline). */
  at: string;
  actor: string;
}

/** Which issue holds the list's sending slot, and since when (ISO 8601). */
export interface SendingSlot {
  issueId: string;
  since: string;
}

/**
 * Rendered issues kept for test sends and the senders, each under its hash (S3:
 * `rendered/<issueId>/<sha256>.json`), which the issue names (`Issue.sha256`): two editors
 * rendering a draft at once store two renders side by side, and the issue names the one whose
 * version won, so what is sent is always what the issue says.
 */
export interface RenderedIssueStore {
  /** Stores a render under its hash (`renderHash`); putting it again changes nothing. */
  put(rendered: RenderedIssue, sha256: string): Promise<void>;
  /** The render stored under that hash (a copy), or undefined when there is none. */
  get(issueId: string, sha256: string): Promise<RenderedIssue | undefined>;
}

/**
 * The public archive of issues (S3 on AWS and locally): each issue's HTML as anyone may read
 * it, without personal data, for "view in browser".
 */
export interface IssueArchive {
  /** Stores an issue's HTML, replacing any stored under the same id. Idempotent. */
  putIssue(issueId: string, html: string): Promise<void>;
  /** The stored HTML of an issue, or undefined when the archive has none. */
  getIssue(issueId: string): Promise<string | undefined>;
}
