import { describe, expect, it } from 'vitest';
import { ApiError } from '#app/editor-api/api-error.ts';
import { apiErrorOf } from '#app/editor-api/api-error-of.ts';
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
import { ScheduleTimeParseError } from '#core/schedule/schedule-time-parse-error.ts';
import { HeaderValueError } from '#core/sending/build-message.ts';
import { LinkKeyError } from '#core/subscribers/link-keys.ts';

const ID = '01JISSUE000000000000000001';

describe('apiErrorOf', () => {
  it.each([
    ['IssueNotFoundError', new IssueNotFoundError(ID), 404, 'issue-not-found', undefined],
    ['IssueStateError', new IssueStateError(ID, 'sent', 'render'), 409, 'issue-state', undefined],
    ['IssueVersionError', new IssueVersionError(ID, 1, 2), 409, 'issue-version', undefined],
    ['IssueInProgressError', new IssueInProgressError(ID), 409, 'issue-in-progress', undefined],
    ['IssuePausedError', new IssuePausedError(ID), 409, 'issue-paused', undefined],
    [
      'DraftOutdatedError',
      new DraftOutdatedError(ID, { issueId: '01JOTHER', state: 'sending' }, ['a']),
      409,
      'draft-outdated',
      undefined,
    ],
    [
      'NoActiveSubscriberError',
      new NoActiveSubscriberError(),
      409,
      'no-active-subscriber',
      undefined,
    ],
    [
      'ImportConflictError',
      new ImportConflictError('x: give --id a'),
      409,
      'import-conflict',
      undefined,
    ],
    ['ScheduleTimeError', new ScheduleTimeError('not in the future'), 400, 'invalid-time', 'at'],
    ['ScheduleTimeParseError', new ScheduleTimeParseError('not ISO'), 400, 'invalid-time', 'at'],
    [
      'UnknownArticlesError',
      new UnknownArticlesError(['x']),
      400,
      'unknown-articles',
      'articleIds',
    ],
    [
      'DraftChoiceError',
      new DraftChoiceError('--preheader has 91 characters; at most 90 fit'),
      400,
      'invalid-input',
      'preheader',
    ],
    ['IntroError', new IntroError('intro: the note is empty'), 400, 'invalid-input', 'intro'],
    [
      'ArticleFileError',
      new ArticleFileError('a.json', 'is required', { path: '$.headline' }),
      422,
      'article-file',
      '$.headline',
    ],
    ['IssueTooLargeError', new IssueTooLargeError('too large'), 422, 'issue-too-large', undefined],
    [
      'HeaderValueError',
      new HeaderValueError('a control character'),
      422,
      'header-value',
      undefined,
    ],
    [
      'TestSendError (invalid address)',
      new TestSendError('invalid-address', 'Address 2 is not an email address.', ['x']),
      400,
      'invalid-address',
      'to',
    ],
    [
      'TestSendError (suppressed address)',
      new TestSendError('suppressed-address', 'Address 1 is suppressed.', ['x@example.com']),
      409,
      'suppressed-address',
      'to',
    ],
    [
      'TestSendError (no render)',
      new TestSendError('no-render', 'No stored render.'),
      409,
      'no-render',
      undefined,
    ],
    [
      'SendersStillClaimingError',
      new SendersStillClaimingError(ID, 1, 11_000),
      500,
      'senders-still-claiming',
      undefined,
    ],
    ['LinkKeyError (unknown)', new LinkKeyError('unknown', 'no'), 404, 'link-key-not-found', 'kid'],
    ['LinkKeyError (newest)', new LinkKeyError('newest', 'rotate'), 409, 'link-key-newest', 'kid'],
    ['LinkKeyError (exists)', new LinkKeyError('exists', 'x'), 409, 'link-key-conflict', undefined],
    [
      'LinkKeyError (not newer)',
      new LinkKeyError('not-newer', 'x'),
      409,
      'link-key-conflict',
      undefined,
    ],
    [
      'LinkKeyError (invalid kid)',
      new LinkKeyError('invalid-kid', 'x'),
      400,
      'invalid-input',
      'kid',
    ],
  ])('maps %s to %i %s', (_, error, status, code, field) => {
    const mapped = apiErrorOf(error);

    expect(mapped?.status).toBe(status);
    expect(mapped?.body().error).toMatchObject({ code });
    expect(mapped?.body().error.field).toBe(field);
  });

  it('leaves link keys the store cannot read to the 500 of a fault of ours', () => {
    expect(
      apiErrorOf(new LinkKeyError('invalid-store', 'the secret holds no key')),
    ).toBeUndefined();
  });

  it('names the line and column of slideshow text or JSON that does not parse', () => {
    const mapped = apiErrorOf(
      new ArticleFileError('a.json', 'unexpected "}"', { line: 3, column: 7 }),
    );

    expect(mapped?.body()).toEqual({
      error: { code: 'article-file', message: 'a.json:3:7: unexpected "}"', line: 3, column: 7 },
    });
  });

  it('lists every image an import could not use, each with its line', () => {
    const mapped = apiErrorOf(
      new ArticleImagesError([
        new ArticleFileError('a.txt', 'the image x.jpg does not exist', { line: 3 }),
        new ArticleFileError('a.txt', 'the image y.jpg does not exist', { line: 9 }),
      ]),
    );

    expect(mapped?.status).toBe(422);
    expect(mapped?.body().error.details).toEqual([
      { message: 'a.txt:3: the image x.jpg does not exist', line: 3 },
      { message: 'a.txt:9: the image y.jpg does not exist', line: 9 },
    ]);
  });

  it('writes its messages for the studio: no command-line option or command in them', () => {
    const errors = [
      new IssueVersionError(ID, 1, 2),
      new IssueInProgressError(ID),
      new IssuePausedError(ID),
      new DraftOutdatedError(ID, { issueId: '01JOTHER', state: 'scheduled' }, ['a']),
      new NoActiveSubscriberError(),
      new ImportConflictError('x: give --id a to replace that article on purpose'),
      new UnknownArticlesError(['x']),
      new DraftChoiceError('--subject is empty'),
    ];

    const messages = errors.map((error) => apiErrorOf(error)?.message ?? '');

    for (const message of messages) expect(message).not.toMatch(/newsletter |--\w/);
  });

  it('returns an ApiError as it is, and nothing for an error it does not know', () => {
    const own = new ApiError(413, 'body-too-large', 'too large');

    expect(apiErrorOf(own)).toBe(own);
    expect(apiErrorOf(new Error('the table is gone'))).toBeUndefined();
  });
});
