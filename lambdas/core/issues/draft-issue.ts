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
 * sent (see `carriesArticles`).
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
): Promise<Draft | undefined> {
  checkDraftChoice(choice);
  const now = deps.now();
  const composed = await composeIssue({
    issueId: deps.newId(),
    now,
    articles: await deps.articles.list(),
    issues: await deps.issues.list(),
    settings: deps.config,
    render: deps.renderIssue,
    choice,
  });
  if (!composed) return undefined;
  const { issue, articles, rendered } = composed;
  issue.timeline = [
    {
      at: now.toISOString(),
      actor,
      action: 'draft',
      detail: `version 1, ${plural(articles.length, 'article')}`,
    },
  ];
  // The render first: a stored issue always has the render of its version.
  await deps.renderedIssues.put(rendered, issue.sha256);
  await deps.issues.create(issue);
  return { issue, articles };
}
