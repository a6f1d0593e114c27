import type { ListedIssue } from '#app/editor-api/listed-issue.ts';
import type { Preview } from '#app/editor-api/preview-message.ts';
import type { Article } from '#core/articles/article.ts';
import type { IssueReport } from '#core/issues/issue-report.ts';
import type { Subscriber } from '#core/subscribers/ports.ts';

/**
 * What the page reads from the server: the editor API's answers (`docs/editor-api.md`), the
 * studio's events and its local outbox. Types only: the page never imports the server's code.
 */

export type { Article, IssueReport, ListedIssue, Subscriber };

/** `GET /api/preview` and `GET /api/subscribers/:id/preview`: the editor API's `Preview`. */
export type PreviewAnswer = Preview;

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
