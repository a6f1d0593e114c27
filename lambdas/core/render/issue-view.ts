import type { Article } from '../article.ts';

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
  /** The articles of the issue, already chosen and in order. */
  articles: Article[];
  /** ISO 8601 date-time of the issue. Default: the time stamp of `issueId`. */
  issuedAt?: string;
  /** IANA time zone in which the issue date is shown. Default: `UTC`. */
  timeZone?: string;
}
