import type { ListedIssue } from '#app/editor-api/listed-issue.ts';
import type { Preview } from '#app/editor-api/preview-message.ts';
import type { Article } from '#core/articles/article.ts';
import type { HtmlSize } from '#core/checks/html-size.ts';
import type { IssueReport } from '#core/issues/issue-report.ts';
import type { Subscriber } from '#core/subscribers/ports.ts';

/**
 * What the page reads from the server: the editor API's answers (`docs/editor-api.md`), the
 * studio's events and its local outbox. Types only: the page never imports the server's code.
 */

export type { Article, IssueReport, ListedIssue, Subscriber };

/**
 * `GET /api/preview`. The optional fields are not in the editor API's answer today; the page
 * uses each when a server gives it, and derives what it can otherwise (see
 * `docs/studio-page.md`).
 */
export interface PreviewAnswer extends Preview {
  /** The articles the issue shows, in order (for the next issue, which is not stored). */
  articleIds?: string[];
  /** The headers the send will carry, in order. */
  headers?: [string, string][];
  /** Who sends it: the list's name and `fromEmail`. */
  from?: { name: string; address: string };
  /** `htmlSize`'s figures: the bytes, `htmlBudgetBytes` and Gmail's clip. */
  size?: HtmlSize;
}

/** An editor API refusal: `{ error: { code, message, field?, … } }`. */
export interface ApiErrorBody {
  code: string;
  message: string;
  field?: string;
  /** For a template error (`template`): the file and line. */
  template?: string;
  line?: number;
  column?: number;
  details?: { message: string; field?: string; line?: number; column?: number }[];
}

/** `GET /api/issues/:id/timeline`. */
export interface IssueTimeline {
  minutes: { minute: string; counts: Partial<Record<string, number>> }[];
}

/** `POST /api/issues/:id/test`. */
export interface TestSendAnswer {
  issueId: string;
  version: number;
  sent: number;
  recipients: { address: string; status: string; error?: string }[];
}

/** One row of `GET /outbox`. */
export interface OutboxEntry {
  id: string;
  to: string[] | string;
  subject: string;
  at: string;
}

/** `GET /outbox/:id`. */
export interface OutboxMessage {
  id: string;
  headers: [string, string][];
  subject: string;
  from: string;
  to: string[] | string;
  html: string;
  text: string;
}

/** The studio's server-sent events, by name. */
export interface StudioEvents {
  ready: { liveReload: boolean; target: 'local' | 'aws' };
  'templates-changed': { at: string; files: string[] };
  'articles-changed':
    | { at: string; imported: number | string[] }
    | { at: string; error: { message: string; file: string; line?: number } };
  issue: IssueReport;
}
