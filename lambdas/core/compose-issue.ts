import type { Article } from './article.ts';
import type { Config } from './config.ts';
import { issueSubject } from './issue-subject.ts';
import { planIssue } from './plan-issue.ts';
import type { Issue } from './ports.ts';
import type { IssueView } from './render/issue-view.ts';
import type { RenderedIssue } from './render/render-issue.ts';

/** The configuration that shapes an issue's content. */
export type IssueSettings = Pick<
  Config,
  | 'listName'
  | 'language'
  | 'postalAddress'
  | 'publicBaseUrl'
  | 'subjectTemplate'
  | 'scheduleTimeZone'
>;

export interface ComposeIssueInput {
  /** Opaque ULID for the new issue. */
  issueId: string;
  now: Date;
  /** Every stored article. */
  articles: readonly Article[];
  /** Every earlier issue: what they carried is not carried again. */
  issues: readonly Issue[];
  settings: IssueSettings;
  /** The renderer (Handlebars → MJML → HTML and text); the same for preview and sending. */
  render(view: IssueView): Promise<RenderedIssue>;
}

/** A planned and rendered issue, not yet stored or sent. */
export interface ComposedIssue {
  issue: Issue;
  /** The articles as shown in the issue, in order. */
  articles: Article[];
  rendered: RenderedIssue;
}

/**
 * Plans the next issue and renders it: the one path for preview, the schedule and
 * `newsletter send`. Undefined when no stored article is new.
 */
export async function composeIssue(input: ComposeIssueInput): Promise<ComposedIssue | undefined> {
  const articles = planIssue(input.articles, input.issues);
  const top = articles[0];
  if (!top) return undefined;
  const issue: Issue = {
    issueId: input.issueId,
    createdAt: input.now.toISOString(),
    subject: issueSubject(input.settings.subjectTemplate, {
      listName: input.settings.listName,
      headline: top.headline,
    }),
    articleIds: articles.map((article) => article.id),
    status: 'sending',
  };
  const rendered = await input.render(issueView(input.settings, issue, articles));
  return { issue, articles, rendered };
}

/** What the templates see of an issue. */
export function issueView(settings: IssueSettings, issue: Issue, articles: Article[]): IssueView {
  return {
    issueId: issue.issueId,
    subject: issue.subject,
    listName: settings.listName,
    language: settings.language,
    postalAddress: settings.postalAddress,
    publicBaseUrl: settings.publicBaseUrl,
    issuedAt: issue.createdAt,
    timeZone: settings.scheduleTimeZone,
    articles,
  };
}
