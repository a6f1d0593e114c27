import type { Article } from '../articles/article.ts';

/** How an article was shortened to fit its issue. */
export interface ArticleCut {
  /** Slides of the full article (the issue shows the first `slides.length` of them). */
  totalSlides: number;
  /** Shown as its headline, lead photo and link only: it was too large even alone. */
  compact: boolean;
}

/** An article as an issue shows it: `cut` is set when the issue leaves part of it out. */
export type ShownArticle = Article & { cut?: ArticleCut };

/** Everything the digest templates show for one issue; the same for every recipient. */
export interface IssueView {
  /** Opaque ULID of the issue; its time stamp dates the issue unless `issuedAt` is given. */
  issueId: string;
  subject: string;
  /** Display name of the list, shown in the header and the footer. */
  listName: string;
  /** BCP 47 language tag, for `lang` on `<html>` and the date format. */
  language: string;
  /** The publisher's postal address, printed in the footer. */
  postalAddress: string;
  /** Where archive and unsubscribe links point, without a trailing slash. */
  publicBaseUrl: string;
  /**
   * Where stored photos are served from (the configuration's `mediaBaseUrl`), without a
   * trailing slash; photos below it may be plain `http:` on loopback, as `publicBaseUrl` may.
   * Default: `publicBaseUrl` + `/media`.
   */
  mediaBaseUrl?: string;
  /** The articles of the issue, already chosen, trimmed and in order. */
  articles: ShownArticle[];
  /** ISO 8601 date-time of the issue. Default: the time stamp of `issueId`. */
  issuedAt?: string;
  /** IANA time zone in which the issue date is shown. Default: `UTC`. */
  timeZone?: string;
  /** The inbox preview line. Default: made from the headlines (see `issuePreheader`). */
  preheader?: string;
  /**
   * An editor's note shown above the first story, in both parts: plain text in which blank
   * lines separate paragraphs (see `introParagraphs` for the rules, and why a single newline
   * reads as a space). Escaped like article text: never markup, never a template; an address
   * in it stays text. Default: none.
   */
  intro?: string;
  /**
   * Also report where each article and slide lies in the HTML (`RenderedIssue.layout`), which
   * the planner needs to pack an issue into its size budget. Default: false.
   */
  measure?: boolean;
}
