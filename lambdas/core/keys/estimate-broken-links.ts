import type { Issue, IssueStore } from '../issues/ports.ts';
import type { SendLedger } from '../sending/ports.ts';

/**
 * How long after a newer key is made the functions may still sign with the one before: they
 * keep the keys they read for a while (on AWS `LINK_KEYS_MAX_AGE_MS`, 5 minutes). An issue
 * that began sending that soon after is counted too.
 */
export const KEY_HANDOVER_MS = 10 * 60_000;

/** What estimating the links a key's retirement breaks reads. */
export interface BrokenLinksDeps {
  issues: Pick<IssueStore, 'list'>;
  ledger: Pick<SendLedger, 'counts'>;
  /** Hours a confirmation link works after it is mailed (`confirmLinkHours`). */
  confirmLinkHours: number;
  now(): Date;
}

/** When a key was the newest, which signed every new link: ISO 8601 times. */
export interface NewestWindow {
  /** When it was made; absent for kid "0": since the first link. */
  from?: string;
  /**
   * When the next newer key that is kept was made; the functions took it up within
   * {@link KEY_HANDOVER_MS}.
   */
  until: string;
}

/** An issue whose messages may carry links signed with the key. */
export interface IssueLinks {
  issueId: string;
  subject: string;
  /** When its sending began (ISO 8601). */
  startedAt: string;
  /** When it was sent or cancelled (ISO 8601); absent while it is sending or paused. */
  endedAt?: string;
  /**
   * Its messages handed to SES (`sent`, and `unknown`: perhaps sent), each with a signed
   * unsubscribe link in its body and its `List-Unsubscribe` header.
   */
  mailed: number;
  /**
   * True when it was sending before the key was made or after the next one was: some of its
   * messages may carry another key; they are counted too.
   */
  partly: boolean;
}

/**
 * What retiring a key would break, as far as the stores can tell: the issues sent while it
 * was the newest, and whether confirmation links that still work may carry it.
 */
export interface BrokenLinks {
  newest: NewestWindow;
  /** Oldest first. */
  issues: IssueLinks[];
  /**
   * How many messages those issues mailed: at most that many unsubscribe links break (fewer
   * when an issue is `partly`).
   */
  mailed: number;
  /**
   * Whether confirmation links mailed while the key was the newest may still work (they work
   * `confirmLinkHours`): those break too. False when every one of them has expired anyway.
   */
  confirmLinks: boolean;
  /** What the numbers leave out, in words. */
  notes: string[];
}

/**
 * Estimates what retiring a key breaks, from the issue store: every issue whose sending
 * (from `startedAt` until it was sent or cancelled, or until now) overlaps the time the key
 * was the newest, `window` (its end {@link KEY_HANDOVER_MS} later), with the messages its
 * ledger counts as mailed. Issues that mailed nobody are left out. A key retired before is
 * not known any more: if one was newer than this one, its time is counted in this one's
 * window, and those issues may be counted though their links broke already.
 */
export async function estimateBrokenLinks(
  deps: BrokenLinksDeps,
  window: { from?: Date; until: Date },
): Promise<BrokenLinks> {
  const now = deps.now();
  const from = window.from?.getTime() ?? Number.NEGATIVE_INFINITY;
  const until = window.until.getTime();
  const handedOver = until + KEY_HANDOVER_MS;
  const issues: IssueLinks[] = [];
  for (const issue of await deps.issues.list()) {
    const sending = sendingTime(issue);
    if (!sending || issue.mailedNobody === true) continue;
    const end = sending.end ?? now.getTime();
    if (sending.start >= handedOver || end < from) continue;
    const counts = await deps.ledger.counts(issue.issueId);
    const mailed = Math.max(0, counts.sent) + Math.max(0, counts.unknown);
    if (mailed === 0) continue;
    issues.push({
      issueId: issue.issueId,
      subject: issue.subject,
      startedAt: new Date(sending.start).toISOString(),
      ...(sending.end === undefined ? {} : { endedAt: new Date(sending.end).toISOString() }),
      mailed,
      partly: sending.start < from || end > until,
    });
  }
  issues.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  const confirmLinks = handedOver > now.getTime() - deps.confirmLinkHours * 3_600_000;
  const partly = issues.filter((each) => each.partly).length;
  return {
    newest: {
      ...(window.from === undefined ? {} : { from: window.from.toISOString() }),
      until: window.until.toISOString(),
    },
    issues,
    mailed: issues.reduce((sum, each) => sum + each.mailed, 0),
    confirmLinks,
    notes: [
      confirmLinks
        ? `Confirmation links mailed while it was the newest break too: some may still work (they work ${deps.confirmLinkHours} hours).`
        : `Confirmation links mailed while it was the newest have all expired (they work ${deps.confirmLinkHours} hours).`,
      ...(partly === 0
        ? []
        : [
            `${partly === 1 ? 'One issue was' : `${partly} issues were`} sending as a key took over: its messages are all counted, though some carry another key.`,
          ]),
    ],
  };
}

/**
 * When the issue was sending, in ms: from `startedAt` until its `sent` or `cancel` entry
 * (else its last entry); no end while it goes on. Undefined when it never began sending.
 */
function sendingTime(issue: Issue): { start: number; end?: number } | undefined {
  if (issue.startedAt === undefined) return undefined;
  const start = Date.parse(issue.startedAt);
  if (Number.isNaN(start)) return undefined;
  const ended = issue.timeline.find(
    (entry) =>
      (entry.action === 'sent' || entry.action === 'cancel') && Date.parse(entry.at) >= start,
  );
  if (ended) return { start, end: Date.parse(ended.at) };
  if (issue.state === 'sending' || issue.state === 'paused') return { start };
  // Done without the entry that says when: its last entry is the latest it can have sent.
  const last = Date.parse(issue.timeline.at(-1)?.at ?? '');
  return { start, end: Number.isNaN(last) ? start : Math.max(start, last) };
}
