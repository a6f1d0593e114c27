/**
 * A draft carries articles that another issue began sending after the draft was rendered:
 * sending it would mail them twice. Rendering it again leaves them out or keeps them by
 * choice.
 */
export class DraftOutdatedError extends Error {
  override name = 'DraftOutdatedError';

  constructor(
    readonly issueId: string,
    readonly carriedBy: string,
    readonly articleIds: readonly string[],
  ) {
    super(
      `Issue ${carriedBy} began sending ${articleIds.length === 1 ? 'article' : 'articles'} ${articleIds.join(', ')} after draft ${issueId} was rendered: render it again (newsletter issues render ${issueId} --articles …) before sending it.`,
    );
  }
}
