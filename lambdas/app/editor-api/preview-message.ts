import type { Check } from '#core/checks/check.ts';
import { type HtmlSize, htmlSize } from '#core/checks/html-size.ts';
import { composeIssue, defaultIssueLimits } from '#core/issues/compose-issue.ts';
import { IssueNotFoundError } from '#core/issues/issue-not-found-error.ts';
import type { Issue } from '#core/issues/ports.ts';
import { personalize } from '#core/rendering/personalize.ts';
import type { RenderedIssue } from '#core/rendering/render-issue.ts';
import { utf8Length } from '#core/rendering/utf8-length.ts';
import { ApiError } from './api-error.ts';
import type { EditorApiDeps, PreviewMessage } from './editor-api-deps.ts';
import type { PersonaName } from './personas.ts';
import { previewHeaders } from './preview-headers.ts';
import { PERSONA_ADDRESS, previewMimeRecipient } from './preview-mime-recipient.ts';
import { type PreviewRecipient, previewValues } from './preview-values.ts';

/** Which render, for whom. */
export interface PreviewRequest {
  /** A stored issue (a draft, or one scheduled, sending or past); absent: the next issue. */
  issueId?: string;
  /** For the next issue: plan it as at this moment (default now), as `issues draft --at`. */
  at?: Date;
  as: PreviewAs;
}

/** A subscriber by id, a persona, or nobody (`public`, the archive's copy). */
export type PreviewAs =
  | { kind: 'subscriber'; subscriberId: string }
  | { kind: 'persona'; persona: PersonaName }
  | { kind: 'public' };

/** What `GET /preview` answers. */
export interface Preview extends PreviewMessage {
  /** The stored issue's id, version and render hash; absent for the next issue, not stored. */
  issueId?: string;
  version?: number;
  sha256?: string;
  /** The articles the issue shows, in order: the stored issue's, or the next issue's as planned. */
  articleIds: string[];
  /** Who sends it: the list's name and `fromEmail`, as the sender writes `From`. */
  from: { name: string; address: string };
  /** UTF-8 bytes of `html`. */
  bytes: number;
  /** `htmlSize`'s figures: `bytes`, `htmlBudgetBytes` and Gmail's clip. */
  size: HtmlSize;
  /**
   * The headers the send will carry for this recipient, in order (`previewHeaders`), `To`
   * shown without an address: a subscriber's id, or a persona's made-up address. Empty for
   * `public`: the archive's copy is not mailed.
   */
  headers: [string, string][];
  checks: Check[];
}

/**
 * One recipient's message, through the production path: the stored render of a stored issue
 * (the one the senders and test sends mail), or the next issue planned and rendered as
 * `issues draft --at` plans it (`composeIssue` over the stored articles and issues, ages
 * measured from `at`) but stored nowhere; then personalised with `personalize` and the
 * recipient's values (`previewValues`), and checked.
 * @throws ApiError 404 for an unknown issue or subscriber, 409 when no article is new
 */
export async function previewMessage(
  deps: Pick<EditorApiDeps, 'issues' | 'subscriptions' | 'check'>,
  request: PreviewRequest,
): Promise<Preview> {
  const { stored, rendered, articleIds } = request.issueId
    ? await storedRender(deps, request.issueId)
    : await plannedRender(deps, request.at);
  const recipient = await recipientOf(deps, request.as);
  const { config } = deps.issues;
  const linkKeys = await deps.subscriptions.linkKeys.current();
  const values = previewValues(config, linkKeys, rendered.issueId, recipient);
  const { html, text } = personalize(rendered, values);
  const message = { subject: rendered.subject, preheader: rendered.preheader, html, text };
  const from = { name: config.listName, address: config.fromEmail };
  const mimeRecipient = previewMimeRecipient(linkKeys, rendered.issueId, recipient);
  const headers = mimeRecipient
    ? await previewHeaders(
        rendered,
        {
          from,
          listId: config.listId,
          listName: config.listName,
          publicBaseUrl: config.publicBaseUrl,
        },
        mimeRecipient,
        shownTo(recipient),
      )
    : [];
  return {
    ...(stored ? { issueId: stored.issueId, version: stored.version, sha256: stored.sha256 } : {}),
    ...message,
    articleIds,
    from,
    bytes: utf8Length(html),
    size: htmlSize(html, config.htmlBudgetBytes ?? defaultIssueLimits.htmlBudgetBytes),
    headers,
    checks: await deps.check(message),
  };
}

/**
 * What the headers show for `To`: a subscriber's id, never their address (personal data the
 * preview does not need: the request names the subscriber already), or a persona's
 * made-up address.
 */
function shownTo(recipient: PreviewRecipient): string {
  return recipient.kind === 'subscriber'
    ? `subscriber ${recipient.subscriber.id} (address not shown)`
    : PERSONA_ADDRESS;
}

async function storedRender(
  deps: Pick<EditorApiDeps, 'issues'>,
  issueId: string,
): Promise<{ stored: Issue; rendered: RenderedIssue; articleIds: string[] }> {
  const stored = await deps.issues.issues.get(issueId);
  if (!stored) throw new IssueNotFoundError(issueId);
  const rendered = await deps.issues.renderedIssues.get(issueId, stored.sha256);
  if (!rendered) {
    throw new Error(`issue ${issueId} has no stored render of version ${stored.version}`);
  }
  return { stored, rendered, articleIds: stored.articleIds };
}

/** The next issue as the schedule would plan it at `at`, as `draftIssue` composes it. */
async function plannedRender(
  deps: Pick<EditorApiDeps, 'issues'>,
  at: Date | undefined,
): Promise<{ stored: undefined; rendered: RenderedIssue; articleIds: string[] }> {
  const { issues } = deps;
  const composed = await composeIssue({
    issueId: issues.newId(),
    now: at ?? issues.now(),
    articles: await issues.articles.list(),
    issues: await issues.issues.list(),
    settings: issues.config,
    render: issues.renderIssue,
  });
  if (!composed) {
    throw new ApiError(
      409,
      'nothing-new',
      'Nothing new to plan: every stored article is in an issue already. Import articles, or draft an issue of chosen ones.',
    );
  }
  return { stored: undefined, rendered: composed.rendered, articleIds: composed.issue.articleIds };
}

async function recipientOf(deps: Pick<EditorApiDeps, 'subscriptions'>, as: PreviewAs) {
  if (as.kind !== 'subscriber') return as;
  const subscriber = await deps.subscriptions.subscribers.get(as.subscriberId);
  if (!subscriber) {
    throw new ApiError(404, 'subscriber-not-found', `There is no subscriber ${as.subscriberId}.`, {
      field: 'id',
    });
  }
  return { kind: 'subscriber' as const, subscriber };
}
