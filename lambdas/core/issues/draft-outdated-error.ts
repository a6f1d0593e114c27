import type { Issue } from './ports.ts';

/**
 * A draft carries articles that another issue carries: one scheduled, or one that began
 * sending after the draft was rendered. Sending it would mail them twice. Rendering it again
 * leaves them out or keeps them by choice.
 */
export class DraftOutdatedError extends Error {
  override name = 'DraftOutdatedError';
  readonly carriedBy: string;

  constructor(
    readonly issueId: string,
    other: Pick<Issue, 'issueId' | 'state'>,
    readonly articleIds: readonly string[],
  ) {
    const which = `${articleIds.length === 1 ? 'article' : 'articles'} ${articleIds.join(', ')}`;
    super(
      other.state === 'scheduled'
        ? `Issue ${other.issueId} is scheduled with ${which} of draft ${issueId}: unschedule it, or render the draft again without them (newsletter issues render ${issueId} --articles …).`
        : `Issue ${other.issueId} began sending ${which} after draft ${issueId} was rendered: render it again (newsletter issues render ${issueId} --articles …) before sending it.`,
    );
    this.carriedBy = other.issueId;
  }
}
