import { describe, expect, it } from 'vitest';
import { DraftChoiceError } from '#core/issues/check-draft-choice.ts';
import { UnknownArticlesError } from '#core/issues/compose-issue.ts';
import { draftIssue } from '#core/issues/draft-issue.ts';
import { renderHash } from '#core/rendering/render-hash.ts';
import { memoryIssueDeps, storedIssue, templateRender } from '../fakes/memory-issue-deps.ts';
import { MemorySubscriberStore } from '../fakes/memory-stores.ts';
import { article } from '../support/articles.ts';
import { subscriber } from '../support/subscribers.ts';

const NOW = '2026-11-27T08:00:00.000Z';
const EDITOR = 'cli:editor';

/** Issue dependencies on the fakes, rendering with the real templates, with one reader. */
async function setup() {
  let counter = 0;
  const archived: string[] = [];
  const subscribers = new MemorySubscriberStore();
  await subscribers.add(subscriber(1));
  const deps = memoryIssueDeps(subscribers, {
    renderIssue: templateRender,
    newId: () => `01JDRAFT${String(++counter).padStart(18, '0')}`,
    now: () => new Date(NOW),
    archive: async (issueId: string) => {
      archived.push(issueId);
    },
  });
  return { deps, archived };
}

describe('draftIssue', () => {
  it('stores a draft as version 1 with the hash of its stored render, and sends nothing', async () => {
    const { deps, archived } = await setup();
    await deps.articles.putAll([
      article('older', '2026-11-01T00:00:00Z'),
      article('newer', '2026-11-02T00:00:00Z'),
    ]);

    const draft = await draftIssue(deps, {}, EDITOR);

    const issueId = draft?.issue.issueId ?? '';
    const stored = await deps.issues.get(issueId);
    const rendered = await deps.renderedIssues.get(issueId, stored?.sha256 ?? '');
    expect(stored).toEqual(draft?.issue);
    expect(stored).toMatchObject({
      subject: 'Headline of newer',
      articleIds: ['newer', 'older'],
      state: 'draft',
      version: 1,
      createdAt: NOW,
      renderedAt: NOW,
      timeline: [{ at: NOW, actor: EDITOR, action: 'draft', detail: 'version 1, 2 articles' }],
    });
    expect(stored?.startedAt).toBeUndefined();
    expect(rendered?.html).toContain('Headline of newer');
    expect(stored?.sha256).toBe(rendered && renderHash(rendered));
    expect(draft?.articles.map((shown) => shown.id)).toEqual(['newer', 'older']);
    expect(deps.issues.slot).toBeUndefined();
    expect(await deps.ledger.list(issueId)).toEqual([]);
    expect(await deps.queue.isIdle()).toBe(true);
    expect(archived).toEqual([]);
  });

  it('reserves nothing: the next draft offers the same articles', async () => {
    const { deps } = await setup();
    await deps.articles.putAll([
      article('one', '2026-11-01T00:00:00Z'),
      article('two', '2026-11-02T00:00:00Z'),
    ]);

    const first = await draftIssue(deps, {}, EDITOR);
    const second = await draftIssue(deps, {}, EDITOR);

    expect(second?.issue.issueId).not.toBe(first?.issue.issueId);
    expect(second?.issue.articleIds).toEqual(['two', 'one']);
    expect(first?.issue.articleIds).toEqual(['two', 'one']);
  });

  it('keeps the order of the articles the editor chose, in the issue and in its render', async () => {
    const { deps } = await setup();
    await deps.articles.putAll([
      article('first', '2026-11-01T00:00:00Z'),
      article('second', '2026-11-02T00:00:00Z'),
      article('third', '2026-11-03T00:00:00Z'),
    ]);

    // A subject and preheader of the editor's: the headlines appear in the body alone.
    const choice = { articleIds: ['first', 'third'], subject: 'Ours', preheader: 'This week' };

    const draft = await draftIssue(deps, choice, EDITOR);

    const issueId = draft?.issue.issueId ?? '';
    const html = (await deps.renderedIssues.get(issueId, draft?.issue.sha256 ?? ''))?.html ?? '';
    expect((await deps.issues.get(issueId))?.articleIds).toEqual(['first', 'third']);
    expect(html.indexOf('Headline of first')).toBeGreaterThan(-1);
    expect(html.indexOf('Headline of first')).toBeLessThan(html.indexOf('Headline of third'));
    expect(html).not.toContain('Headline of second');
  });

  it('keeps the subject, preheader and note the editor chose, in the issue and in its render', async () => {
    const { deps } = await setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    const choice = {
      subject: 'Our harbour week',
      preheader: 'Boats, bells and a choir',
      intro: 'A short note from the editor.',
    };

    const draft = await draftIssue(deps, choice, EDITOR);

    const issueId = draft?.issue.issueId ?? '';
    const rendered = await deps.renderedIssues.get(issueId, draft?.issue.sha256 ?? '');
    expect(await deps.issues.get(issueId)).toMatchObject(choice);
    expect(rendered).toMatchObject({
      subject: 'Our harbour week',
      preheader: 'Boats, bells and a choir',
    });
    expect(rendered?.text).toContain('A short note from the editor.');
  });

  it('refuses an article id that is not stored, naming it and storing nothing', async () => {
    const { deps } = await setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);

    const refusal = draftIssue(deps, { articleIds: ['one', 'no-such-article'] }, EDITOR);

    await expect(refusal).rejects.toThrow(UnknownArticlesError);
    await expect(refusal).rejects.toMatchObject({ articleIds: ['no-such-article'] });
    expect(await deps.issues.list()).toEqual([]);
    expect(deps.renderedIssues.items.size).toBe(0);
  });

  it.each([
    ['an empty subject', { subject: '  ' }, '--subject is empty'],
    ['a subject with a control character', { subject: 'Bell\u0007' }, '--subject holds a control'],
    ['a subject longer than a subject line', { subject: 'x'.repeat(79) }, '--subject has 79'],
  ])('refuses %s, storing nothing', async (_what, choice, message) => {
    const { deps } = await setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);

    const refusal = draftIssue(deps, choice, EDITOR);

    await expect(refusal).rejects.toThrow(DraftChoiceError);
    await expect(refusal).rejects.toThrow(message);
    expect(await deps.issues.list()).toEqual([]);
    expect(deps.renderedIssues.items.size).toBe(0);
  });

  it('drafts nothing when no article is new', async () => {
    const { deps } = await setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    await deps.issues.create(storedIssue('01JSENT0000000000000000000', { articleIds: ['one'] }));

    expect(await draftIssue(deps, {}, EDITOR)).toBeUndefined();
    expect(await deps.issues.list()).toHaveLength(1);
    expect(deps.renderedIssues.items.size).toBe(0);
  });

  it('offers the articles of an issue cancelled before it mailed anybody, not of one that may have', async () => {
    const { deps } = await setup();
    await deps.articles.putAll([
      article('freed', '2026-11-01T00:00:00Z'),
      article('maybe-mailed', '2026-11-02T00:00:00Z'),
    ]);
    await deps.issues.create(
      storedIssue('01JCANCELLED00000000000001', {
        state: 'cancelled',
        mailedNobody: true,
        articleIds: ['freed'],
      }),
    );
    await deps.issues.create(
      storedIssue('01JCANCELLED00000000000002', {
        state: 'cancelled',
        articleIds: ['maybe-mailed'],
      }),
    );

    const draft = await draftIssue(deps, {}, EDITOR);

    expect(draft?.issue.articleIds).toEqual(['freed']);
  });

  describe('as of another moment (time travel)', () => {
    const AS_OF = '2026-12-04T08:00:00.000Z';

    it('dates the issue at that moment, in the issue and its render, and says so in its timeline', async () => {
      const { deps } = await setup();
      await deps.articles.putAll([
        article('older', '2026-11-01T00:00:00Z'),
        article('newer', '2026-11-02T00:00:00Z'),
      ]);

      const draft = await draftIssue(deps, {}, EDITOR, { asOf: new Date(AS_OF) });

      const stored = await deps.issues.get(draft?.issue.issueId ?? '');
      const rendered = await deps.renderedIssues.get(stored?.issueId ?? '', stored?.sha256 ?? '');
      expect(stored).toMatchObject({
        createdAt: AS_OF,
        state: 'draft',
        timeline: [
          {
            at: NOW,
            actor: EDITOR,
            action: 'draft',
            detail: `version 1, 2 articles, planned as at ${AS_OF}`,
          },
        ],
      });
      expect(rendered?.text).toContain('December 4, 2026');
      expect(rendered?.text).not.toContain('November 27, 2026');
    });

    it('measures ages from that moment: an article passed over comes back within maxArticleWaitDays of it', async () => {
      const { deps } = await setup();
      Object.assign(deps.config, { maxArticleWaitDays: 7 });
      await deps.articles.putAll([
        article('carried', '2026-11-19T00:00:00Z'),
        // Published before the last issue began, and left out of it: 12 days old now.
        article('passed-over', '2026-11-15T00:00:00Z'),
        article('fresh', '2026-11-25T00:00:00Z'),
      ]);
      await deps.issues.create(
        storedIssue('01JSENT0000000000000000000', {
          state: 'sent',
          articleIds: ['carried'],
          createdAt: '2026-11-20T00:00:00.000Z',
        }),
      );

      const today = await draftIssue(deps, {}, EDITOR);
      const sixDaysOld = await draftIssue(deps, {}, EDITOR, {
        asOf: new Date('2026-11-21T00:00:00Z'),
      });

      expect(today?.issue.articleIds).toEqual(['fresh']);
      expect(sixDaysOld?.issue.articleIds).toEqual(['fresh', 'passed-over']);
    });

    it('offers the articles stored now, even one published after that moment', async () => {
      const { deps } = await setup();
      await deps.articles.putAll([
        article('before', '2026-11-01T00:00:00Z'),
        article('after', '2026-11-20T00:00:00Z'),
      ]);

      const draft = await draftIssue(deps, {}, EDITOR, { asOf: new Date('2026-11-10T00:00:00Z') });

      expect(draft?.issue.articleIds).toEqual(['after', 'before']);
    });

    it('leaves out the articles issues carry now: scheduled ones, and ones that began after that moment', async () => {
      const { deps } = await setup();
      await deps.articles.putAll([
        article('scheduled', '2026-11-01T00:00:00Z'),
        article('sending', '2026-11-02T00:00:00Z'),
        article('free', '2026-11-03T00:00:00Z'),
      ]);
      await deps.issues.create(
        storedIssue('01JSCHEDULED00000000000000', {
          state: 'scheduled',
          articleIds: ['scheduled'],
          scheduledAt: '2026-12-01T08:00:00.000Z',
        }),
      );
      await deps.issues.create(
        storedIssue('01JSENDING0000000000000000', {
          articleIds: ['sending'],
          createdAt: '2026-11-26T08:00:00.000Z',
        }),
      );

      const draft = await draftIssue(deps, {}, EDITOR, { asOf: new Date('2026-11-10T00:00:00Z') });

      expect(draft?.issue.articleIds).toEqual(['free']);
    });
  });
});
