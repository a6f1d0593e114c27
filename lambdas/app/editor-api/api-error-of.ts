import { ArticleFileError } from '#core/articles/article-file-error.ts';
import { ImportConflictError } from '#core/articles/import-articles.ts';
import { ArticleImagesError } from '#core/articles/import-articles-with-images.ts';
import { DraftChoiceError } from '#core/issues/check-draft-choice.ts';
import { IssueTooLargeError, UnknownArticlesError } from '#core/issues/compose-issue.ts';
import { DraftOutdatedError } from '#core/issues/draft-outdated-error.ts';
import { IssueInProgressError } from '#core/issues/issue-in-progress-error.ts';
import { IssueNotFoundError } from '#core/issues/issue-not-found-error.ts';
import { IssuePausedError } from '#core/issues/issue-paused-error.ts';
import { IssueStateError } from '#core/issues/issue-state-error.ts';
import { IssueVersionError } from '#core/issues/move-issue.ts';
import { NoActiveSubscriberError } from '#core/issues/no-active-subscriber-error.ts';
import { ScheduleTimeError } from '#core/issues/schedule-issue.ts';
import { SendersStillClaimingError } from '#core/issues/senders-still-claiming-error.ts';
import { TestSendError } from '#core/issues/test-send-error.ts';
import { IntroError } from '#core/rendering/intro-error.ts';
import { TemplateError } from '#core/rendering/template-error.ts';
import { templateFileNames } from '#core/rendering/templates.ts';
import { ScheduleTimeParseError } from '#core/schedule/schedule-time-parse-error.ts';
import { HeaderValueError } from '#core/sending/build-message.ts';
import { LinkKeyError } from '#core/subscribers/link-keys.ts';
import { ApiError } from './api-error.ts';

/**
 * The answer to an error the core throws on purpose, each mapped deliberately (the table is
 * in docs/editor-api.md); undefined for any other error, which is a fault of ours (500).
 * Messages are written for the studio rather than the command line, from the errors'
 * fields: none quotes an address.
 */
export function apiErrorOf(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error;
  return (
    notFound(error) ??
    stateConflict(error) ??
    badInput(error) ??
    refusedContent(error) ??
    testRefusal(error) ??
    stuckSenders(error) ??
    linkKeyRefusal(error)
  );
}

/** 404: an id that names nothing. */
function notFound(error: unknown): ApiError | undefined {
  if (error instanceof IssueNotFoundError) {
    return new ApiError(404, 'issue-not-found', `There is no issue ${error.issueId}.`);
  }
  return undefined;
}

/** 409: what the issue's state, or the list's, forbids now. */
function stateConflict(error: unknown): ApiError | undefined {
  if (error instanceof IssueStateError) {
    return new ApiError(409, 'issue-state', error.message);
  }
  if (error instanceof IssueVersionError) {
    return new ApiError(
      409,
      'issue-version',
      `Issue ${error.issueId} is at version ${error.current} now, not ${error.expected}: someone rendered it again; look at it again before acting on it.`,
    );
  }
  if (error instanceof IssueInProgressError) {
    return new ApiError(
      409,
      'issue-in-progress',
      `Issue ${error.issueId} is sending or paused, and a list sends one issue at a time: wait until it is sent, or resume or cancel it.`,
    );
  }
  if (error instanceof IssuePausedError) {
    return new ApiError(
      409,
      'issue-paused',
      `Issue ${error.issueId} is paused: resume it or cancel it first.`,
    );
  }
  if (error instanceof DraftOutdatedError) {
    const which = `${error.articleIds.length === 1 ? 'article' : 'articles'} ${error.articleIds.join(', ')}`;
    return new ApiError(
      409,
      'draft-outdated',
      `Issue ${error.carriedBy} carries ${which} of draft ${error.issueId} (it is scheduled, or began sending after the draft was rendered): render the draft again without them, or unschedule that issue.`,
    );
  }
  if (error instanceof NoActiveSubscriberError) {
    return new ApiError(
      409,
      'no-active-subscriber',
      'No subscriber is active: nothing was started, and the articles wait for the next issue. Add a subscriber, then send again.',
    );
  }
  if (error instanceof ImportConflictError) {
    // The importer's words name the command line's --id: here it is the `id` parameter.
    return new ApiError(409, 'import-conflict', error.message.replaceAll('--id ', 'id='));
  }
  return undefined;
}

/** 400: input the core refuses, naming the field. */
function badInput(error: unknown): ApiError | undefined {
  if (error instanceof ScheduleTimeError || error instanceof ScheduleTimeParseError) {
    return new ApiError(400, 'invalid-time', `at: ${error.message}`, { field: 'at' });
  }
  if (error instanceof UnknownArticlesError) {
    return new ApiError(
      400,
      'unknown-articles',
      `articleIds: no stored article has the id ${error.articleIds.join(', ')}.`,
      { field: 'articleIds' },
    );
  }
  if (error instanceof DraftChoiceError) {
    // "--subject has 90 characters; at most 78 fit": the option is the field.
    const field = /^--(\w+)/.exec(error.message)?.[1] ?? 'subject';
    return new ApiError(400, 'invalid-input', error.message.replace(/^--/, ''), { field });
  }
  if (error instanceof IntroError) {
    return new ApiError(400, 'invalid-input', error.message, { field: 'intro' });
  }
  return undefined;
}

/** 422: content a parser or the renderer refuses. */
function refusedContent(error: unknown): ApiError | undefined {
  if (error instanceof ArticleFileError) {
    return new ApiError(422, 'article-file', error.message, placeOf(error));
  }
  if (error instanceof ArticleImagesError) {
    const count = error.errors.length;
    return new ApiError(
      422,
      'article-images',
      `${count === 1 ? 'An image' : `${count} images`} could not be used; nothing was imported.`,
      { details: error.errors.map((each) => ({ message: each.message, ...placeOf(each) })) },
    );
  }
  if (error instanceof IssueTooLargeError) {
    return new ApiError(422, 'issue-too-large', error.message);
  }
  if (error instanceof HeaderValueError) {
    return new ApiError(422, 'header-value', `The message cannot be written: ${error.message}.`);
  }
  if (error instanceof TemplateError && isDigestTemplate(error.template)) {
    // Named as in the template folder (`partials/…`), never by a path of the machine.
    return new ApiError(422, 'template', error.message, {
      template: error.template,
      ...(error.line === undefined ? {} : { line: error.line }),
    });
  }
  return undefined;
}

/**
 * Whether a template is one of the digest's, which the editor edits (`digest.mjml.hbs`,
 * `digest.txt.hbs`, `partials/…`): the confirmation email's, not built where it should be, is
 * a fault of ours (500).
 */
function isDigestTemplate(template: string): boolean {
  return (
    template === templateFileNames.digest ||
    template === templateFileNames.text ||
    template.startsWith('partials/')
  );
}

/** A test send refused before anything was sent: 400 for the addresses, 409 for the state. */
function testRefusal(error: unknown): ApiError | undefined {
  if (!(error instanceof TestSendError)) return undefined;
  const status =
    error.problem === 'suppressed-address' || error.problem === 'no-render' ? 409 : 400;
  const field = error.problem === 'no-render' ? {} : { field: 'to' };
  return new ApiError(status, error.problem, error.message, field);
}

/** 500, but said: the state changed, and only the wait for the senders gave up. */
function stuckSenders(error: unknown): ApiError | undefined {
  if (!(error instanceof SendersStillClaimingError)) return undefined;
  return new ApiError(500, 'senders-still-claiming', error.message);
}

/**
 * A change of the link keys refused: 404 an unknown kid, 409 retiring the newest (rotate
 * first) or a rotation that met another one, 400 a kid that cannot be one. Keys the store
 * cannot read (`invalid-store`) are a fault of the deployment: 500, logged.
 */
function linkKeyRefusal(error: unknown): ApiError | undefined {
  if (!(error instanceof LinkKeyError)) return undefined;
  switch (error.problem) {
    case 'unknown':
      return new ApiError(404, 'link-key-not-found', error.message, { field: 'kid' });
    case 'newest':
      return new ApiError(409, 'link-key-newest', error.message, { field: 'kid' });
    case 'exists':
    case 'not-newer':
      return new ApiError(
        409,
        'link-key-conflict',
        `${error.message}: another rotation came first; list the keys and try again.`,
      );
    case 'invalid-kid':
      return new ApiError(400, 'invalid-input', error.message, { field: 'kid' });
    default:
      return undefined;
  }
}

function placeOf(error: ArticleFileError) {
  return {
    ...(error.path === undefined ? {} : { field: error.path }),
    ...(error.line === undefined ? {} : { line: error.line }),
    ...(error.column === undefined ? {} : { column: error.column }),
  };
}
