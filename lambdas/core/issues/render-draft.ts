import { plural } from '../common/plural.ts';
import { checkDraftChoice } from './check-draft-choice.ts';
import { composeIssue, type DraftChoice } from './compose-issue.ts';
import type { Draft } from './draft-issue.ts';
import type { IssueDeps } from './issue-deps.ts';
import { IssueNotFoundError } from './issue-not-found-error.ts';
import { assertAllows } from './issue-state.ts';
import { moveIssue } from './move-issue.ts';

/**
 * Renders a draft again as its next version, with a new hash: from the articles as they are
 * stored now, with what the editor chose; what they leave out stays as the draft has it
 * (articles, subject, preheader, intro). The render is stored under its hash before the issue
 * names it, and the issue moves to it only while it is still a draft at the version that was
 * read, so of two editors rendering at once one is told, and the issue names the render of
 * the one who won.
 * @throws IssueNotFoundError, IssueStateError (not a draft), IssueVersionError (rendered
 *   again meanwhile), UnknownArticlesError
 */
export async function renderDraft(
  deps: Pick<
    IssueDeps,
    'articles' | 'issues' | 'renderedIssues' | 'config' | 'renderIssue' | 'now'
  >,
  issueId: string,
  choice: DraftChoice,
  actor: string,
): Promise<Draft> {
  checkDraftChoice(choice);
  const draft = await deps.issues.get(issueId);
  if (!draft) throw new IssueNotFoundError(issueId);
  assertAllows(draft, 'render');
  const now = deps.now();
  const version = draft.version + 1;
  const composed = await composeIssue({
    issueId,
    now,
    articles: await deps.articles.list(),
    issues: await deps.issues.list(),
    settings: deps.config,
    render: deps.renderIssue,
    choice: {
      articleIds: choice.articleIds ?? draft.articleIds,
      subject: choice.subject ?? draft.subject,
      ...optional('preheader', choice.preheader ?? draft.preheader),
      ...optional('intro', choice.intro ?? draft.intro),
    },
    draft: { createdAt: draft.createdAt, version },
  });
  // Chosen articles always compose: there is at least the draft's own.
  if (!composed) throw new Error(`issue ${issueId} has no article to render`);
  const { issue, articles, rendered } = composed;
  await deps.renderedIssues.put(rendered, issue.sha256);
  const moved = await moveIssue(
    deps.issues,
    issueId,
    'render',
    { actor, at: now },
    {
      version: draft.version,
      detail: `version ${version}, ${plural(articles.length, 'article')}`,
      changes: {
        version,
        sha256: issue.sha256,
        renderedAt: issue.renderedAt,
        subject: issue.subject,
        articleIds: issue.articleIds,
        ...optional('preheader', issue.preheader),
        ...optional('intro', issue.intro),
      },
    },
  );
  return { issue: moved, articles };
}

function optional<K extends string>(key: K, value: string | undefined) {
  return (value === undefined ? {} : { [key]: value }) as Partial<Record<K, string>>;
}
