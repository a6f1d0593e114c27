import { describe, expect, it } from 'vitest';
import type { Article } from '#core/articles/article.ts';
import { planIssue } from '#core/issues/plan-issue.ts';
import type { Issue } from '#core/issues/ports.ts';
import { storedIssue } from '../fakes/memory-issue-deps.ts';
import { article } from '../support/articles.ts';

/** An issue that began sending when it was created, `sent` unless `changes` say otherwise. */
function issue(createdAt: string, articleIds: string[], changes: Partial<Issue> = {}): Issue {
  return storedIssue(`01ISSUE${createdAt}`, { createdAt, articleIds, state: 'sent', ...changes });
}

const now = new Date('2026-11-27T08:00:00Z');
const ids = (articles: Article[]) => articles.map((a) => a.id);

describe('planIssue', () => {
  it('offers the articles no issue carried, newest first', () => {
    const articles = [
      article('old', '2026-11-20T08:00:00Z'),
      article('carried', '2026-11-25T08:00:00Z'),
      article('new', '2026-11-26T08:00:00Z'),
    ];

    const planned = planIssue(articles, [issue('2026-11-25T09:00:00Z', ['carried', 'old'])], {
      now,
    });

    expect(ids(planned)).toEqual(['new']);
  });

  it('offers nothing when every article was carried', () => {
    const articles = [article('one', '2026-11-20T08:00:00Z')];

    expect(planIssue(articles, [issue('2026-11-21T09:00:00Z', ['one'])], { now })).toEqual([]);
  });

  it('orders articles of the same time by id, whatever the store returned', () => {
    const at = '2026-11-26T08:00:00Z';

    const planned = planIssue([article('b', at), article('c', at), article('a', at)], [], { now });

    expect(ids(planned)).toEqual(['a', 'b', 'c']);
  });

  it('returns at most the maximum number of articles', () => {
    const articles = Array.from({ length: 5 }, (_, i) =>
      article(`a${i}`, `2026-11-2${i}T08:00:00Z`),
    );

    expect(ids(planIssue(articles, [], { now, maxArticles: 2 }))).toEqual(['a4', 'a3']);
  });

  it('keeps an article left out of an earlier issue until it is too old to wait', () => {
    const articles = [
      article('waited-3-days', '2026-11-24T08:00:00Z'),
      article('waited-20-days', '2026-11-07T08:00:00Z'),
    ];
    const earlier = issue('2026-11-25T09:00:00Z', ['something-else']);

    const planned = planIssue(articles, [earlier], { now, maxArticleWaitDays: 14 });

    expect(ids(planned)).toEqual(['waited-3-days']);
  });

  it('offers an old article that no issue has passed over yet, whatever its age', () => {
    const articles = [article('archive-piece', '2025-01-01T08:00:00Z')];

    expect(ids(planIssue(articles, [], { now, maxArticleWaitDays: 14 }))).toEqual([
      'archive-piece',
    ]);
  });

  it('offers the articles of a draft: a draft reserves nothing', () => {
    const articles = [article('drafted', '2026-11-26T08:00:00Z')];
    const kept = issue('2026-11-26T09:00:00Z', ['drafted'], { state: 'draft' });

    expect(ids(planIssue(articles, [kept], { now }))).toEqual(['drafted']);
  });

  it.each([
    ['sending', { state: 'sending' }],
    ['paused', { state: 'paused' }],
    ['cancelled after it may have mailed somebody', { state: 'cancelled' }],
  ] as const)('keeps back the articles of an issue %s', (_what, changes) => {
    const articles = [article('carried', '2026-11-26T08:00:00Z')];
    const carrier = issue('2026-11-26T09:00:00Z', ['carried'], changes);

    expect(planIssue(articles, [carrier], { now })).toEqual([]);
  });

  it('offers again the articles of an issue cancelled before it mailed anybody', () => {
    const articles = [article('freed', '2026-11-26T08:00:00Z')];
    const cancelled = issue('2026-11-26T09:00:00Z', ['freed'], {
      state: 'cancelled',
      mailedNobody: true,
    });

    expect(ids(planIssue(articles, [cancelled], { now }))).toEqual(['freed']);
  });

  it('measures how long an article waited from when the last issue began sending, not from when it was drafted', () => {
    // Published after the issue was drafted but before it began sending: passed over by it.
    const articles = [article('passed-over', '2026-11-05T08:00:00Z')];
    const last = issue('2026-11-01T09:00:00Z', ['something-else'], {
      startedAt: '2026-11-06T09:00:00Z',
    });

    expect(planIssue(articles, [last], { now, maxArticleWaitDays: 14 })).toEqual([]);
  });

  it('lets neither a draft nor an issue cancelled before mailing anybody pass an article over', () => {
    const articles = [article('archive-piece', '2026-10-01T08:00:00Z')];
    const notCarrying = [
      issue('2026-11-20T09:00:00Z', ['something-else'], { state: 'draft' }),
      issue('2026-11-21T09:00:00Z', ['other'], { state: 'cancelled', mailedNobody: true }),
    ];

    expect(ids(planIssue(articles, notCarrying, { now, maxArticleWaitDays: 14 }))).toEqual([
      'archive-piece',
    ]);
  });
});
