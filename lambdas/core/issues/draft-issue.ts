import { plural } from '../common/plural.ts';
import type { ShownArticle } from '../rendering/issue-view.ts';
import { checkDraftChoice } from './check-draft-choice.ts';
import { composeIssue, type DraftChoice } from './compose-issue.ts';
import type { IssueDeps } from './issue-deps.ts';
import type { Issue } from './ports.ts';

/** A draft as it was stored, with its articles as the render shows them. */
export interface Draft {
  issue: Issue;
  articles: ShownArticle[];
}

/**
 * Drafts the next issue, or one of the articles an editor chose, in their order: plans and
 * renders it (`composeIssue`), stores the render as version 1, then the issue as a `draft`.
 * A draft reserves nothing: its articles stay candidates for every other issue until it is
 * scheduled or sent (see `carriesArticles`). With `asOf` (time travel), it is the draft the
 * schedule would plan at that moment: from the articles stored now and the issues that carry
 * theirs, with article ages (and the issue's date) measured from `asOf`.
 * @param actor who drafts it (`cli:<user>`, `schedule`)
 * @returns undefined when no stored article is new and none was chosen
 * @throws UnknownArticlesError when a chosen article is not stored
 */
export async function draftIssue(
  deps: Pick<
    IssueDeps,
    'articles' | 'issues' | 'renderedIssues' | 'config' | 'renderIssue' | 'newId' | 'now'
  >,
  choice: DraftChoice,
  actor: string,
  options: { asOf?: Date } = {},
): Promise<Draft | undefined> {
  checkDraftChoice(choice);
  const now = deps.now();
  const composed = await composeIssue({
    issueId: deps.newId(),
    now: options.asOf ?? now,
    articles: await deps.articles.list(),
    issues: await deps.issues.list(),
    settings: deps.config,
    render: deps.renderIssue,
    choice,
  });
  if (!composed) return undefined;
  // Dated as of `asOf`, but rendered now: what starts from now on may outdate it.
  composed.issue.renderedAt = now.toISOString();
  const { issue, articles, rendered } = composed;
  issue.timeline = [
    {
      at: now.toISOString(),
      actor,
      action: 'draft',
      detail:
        `version 1, ${plural(articles.length, 'article')}` +
        (options.asOf ? `, planned as at ${options.asOf.toISOString()}` : ''),
    },
  ];
  // The render first: a stored issue always has the render of its version.
  await deps.renderedIssues.put(rendered, issue.sha256);
  await deps.issues.create(issue);
  return { issue, articles };
}
