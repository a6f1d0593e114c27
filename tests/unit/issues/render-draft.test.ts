import { describe, expect, it } from 'vitest';
import { UnknownArticlesError } from '#core/issues/compose-issue.ts';
import { draftIssue } from '#core/issues/draft-issue.ts';
import { IssueNotFoundError } from '#core/issues/issue-not-found-error.ts';
import { IssueStateError } from '#core/issues/issue-state-error.ts';
import { IssueVersionError } from '#core/issues/move-issue.ts';
import { renderDraft } from '#core/issues/render-draft.ts';
import { renderHash } from '#core/rendering/render-hash.ts';
import { memoryIssueDeps, storedIssue, templateRender } from '../fakes/memory-issue-deps.ts';
import { MemorySubscriberStore } from '../fakes/memory-stores.ts';
import { article } from '../support/articles.ts';

const DRAFTED = '2026-11-27T08:00:00.000Z';
const RENDERED = '2026-11-27T08:05:00.000Z';

/** Issue dependencies on the fakes, rendering with the real templates, on a clock tests move. */
function setup() {
  const clock = { now: DRAFTED };
  let counter = 0;
  const deps = memoryIssueDeps(new MemorySubscriberStore(), {
    renderIssue: templateRender,
    newId: () => `01JDRAFT${String(++counter).padStart(18, '0')}`,
    now: () => new Date(clock.now),
    archive: async () => {},
  });
  return { deps, clock };
}

/** A stored draft of `choice`, and its issue as stored. */
async function drafted(deps: ReturnType<typeof setup>['deps'], choice = {}) {
  const draft = await draftIssue(deps, choice, 'cli:editor');
  if (!draft) throw new Error('nothing to draft');
  return draft.issue;
}

describe('renderDraft', () => {
  it('renders a draft again as version 2 with a new hash, keeping the subject the editor chose', async () => {
    const { deps, clock } = setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    const first = await drafted(deps, { subject: 'Our harbour week' });
    clock.now = RENDERED;

    const second = await renderDraft(deps, first.issueId, {}, 'cli:other');

    const rendered = await deps.renderedIssues.get(first.issueId, second.issue.sha256);
    const kept = await deps.renderedIssues.get(first.issueId, first.sha256);
    expect(second.issue).toEqual({
      ...first,
      version: 2,
      sha256: rendered && renderHash(rendered),
      renderedAt: RENDERED,
      timeline: [
        ...first.timeline,
        { at: RENDERED, actor: 'cli:other', action: 'render', detail: 'version 2, 1 article' },
      ],
    });
    expect(second.issue.sha256).not.toBe(first.sha256);
    expect(second.issue.subject).toBe('Our harbour week');
    expect(rendered?.subject).toBe('Our harbour week');
    expect(await deps.issues.get(first.issueId)).toEqual(second.issue);
    expect(kept && renderHash(kept)).toBe(first.sha256);
  });

  it('shows the draft’s articles as they are stored now, leaving out articles stored since', async () => {
    const { deps, clock } = setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    const first = await drafted(deps);
    await deps.articles.putAll([
      article('one', '2026-11-01T00:00:00Z', { headline: 'Corrected headline of one' }),
      article('later', '2026-11-02T00:00:00Z'),
    ]);
    clock.now = RENDERED;

    const second = await renderDraft(deps, first.issueId, {}, 'cli:editor');

    const html = (await deps.renderedIssues.get(first.issueId, second.issue.sha256))?.html ?? '';
    expect(second.issue.articleIds).toEqual(['one']);
    expect(html).toContain('Corrected headline of one');
    expect(html).not.toContain('Headline of later');
  });

  it('takes the articles the editor names, in their order, keeping the preheader and note', async () => {
    const { deps, clock } = setup();
    await deps.articles.putAll([
      article('first', '2026-11-01T00:00:00Z'),
      article('second', '2026-11-02T00:00:00Z'),
      article('third', '2026-11-03T00:00:00Z'),
    ]);
    // Chosen so that the headlines appear in the body alone, in the issue's order.
    const choice = {
      subject: 'Our harbour week',
      preheader: 'Boats and bells',
      intro: 'A short note from the editor.',
    };
    const first = await drafted(deps, choice);
    clock.now = RENDERED;

    const second = await renderDraft(deps, first.issueId, { articleIds: ['first', 'third'] }, 'x');

    const rendered = await deps.renderedIssues.get(first.issueId, second.issue.sha256);
    const html = rendered?.html ?? '';
    expect(first.articleIds).toEqual(['third', 'second', 'first']);
    expect(second.issue).toMatchObject({ articleIds: ['first', 'third'], version: 2, ...choice });
    expect(html.indexOf('Headline of first')).toBeGreaterThan(-1);
    expect(html.indexOf('Headline of first')).toBeLessThan(html.indexOf('Headline of third'));
    expect(html).not.toContain('Headline of second');
    expect(rendered?.preheader).toBe('Boats and bells');
    expect(rendered?.text).toContain('A short note from the editor.');
  });

  it('refuses an article id that is not stored, leaving the draft at version 1', async () => {
    const { deps } = setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    const first = await drafted(deps);

    const refusal = renderDraft(deps, first.issueId, { articleIds: ['gone'] }, 'cli:editor');

    await expect(refusal).rejects.toThrow(UnknownArticlesError);
    await expect(refusal).rejects.toMatchObject({ articleIds: ['gone'] });
    expect(await deps.issues.get(first.issueId)).toEqual(first);
    // The draft's own render, and no other.
    expect(deps.renderedIssues.items.size).toBe(1);
    expect(await deps.renderedIssues.get(first.issueId, first.sha256)).toBeDefined();
  });

  it.each(['sending', 'paused', 'sent', 'cancelled'] as const)(
    'refuses to render a %s issue again, naming its state and changing nothing',
    async (state) => {
      const { deps } = setup();
      await deps.articles.putAll([article('a', '2026-11-01T00:00:00Z')]);
      const issue = storedIssue('01JISSUE000000000000000001', { state });
      await deps.issues.create(issue);

      const refusal = renderDraft(deps, issue.issueId, { subject: 'Changed' }, 'cli:editor');

      await expect(refusal).rejects.toThrow(IssueStateError);
      await expect(refusal).rejects.toThrow(`is ${state}`);
      expect(await deps.issues.get(issue.issueId)).toEqual(issue);
      expect(deps.renderedIssues.items.size).toBe(0);
    },
  );

  it('refuses an issue that does not exist', async () => {
    const { deps } = setup();

    await expect(renderDraft(deps, '01JMISSING0000000000000000', {}, 'x')).rejects.toThrow(
      IssueNotFoundError,
    );
    expect(deps.renderedIssues.items.size).toBe(0);
  });

  it('tells the second of two editors rendering the same version at once, keeping the first’s version', async () => {
    const { deps, clock } = setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    const first = await drafted(deps);
    clock.now = RENDERED;

    const outcomes = await Promise.allSettled([
      renderDraft(deps, first.issueId, { subject: 'By Ann' }, 'cli:ann'),
      renderDraft(deps, first.issueId, { subject: 'By Bo' }, 'cli:bo'),
    ]);

    const won = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome] : []));
    const lost = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome] : []));
    expect(won).toHaveLength(1);
    expect(lost.map((outcome) => outcome.reason)).toEqual([expect.any(IssueVersionError)]);
    const stored = await deps.issues.get(first.issueId);
    expect(stored).toEqual(won[0]?.value.issue);
    expect(stored?.version).toBe(2);
    expect(stored?.timeline).toHaveLength(2);
  });

  it('names the winner’s render when two editors render the same version at once, though the loser’s was stored last', async () => {
    const { deps, clock } = setup();
    await deps.articles.putAll([article('one', '2026-11-01T00:00:00Z')]);
    const first = await drafted(deps);
    clock.now = RENDERED;
    // Each render, once stored, waits until both are, then they go on in the order they were
    // stored: the editor whose render was stored last moves the issue last, and loses.
    const put = deps.renderedIssues.put.bind(deps.renderedIssues);
    const held: (() => void)[] = [];
    deps.renderedIssues.put = async (rendered, sha256) => {
      await put(rendered, sha256);
      await new Promise<void>((goOn) => {
        held.push(goOn);
        if (held.length === 2) for (const release of held) release();
      });
    };

    const outcomes = await Promise.allSettled([
      renderDraft(deps, first.issueId, { subject: 'By Ann' }, 'cli:ann'),
      renderDraft(deps, first.issueId, { subject: 'By Bo' }, 'cli:bo'),
    ]);

    const won = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome] : []));
    const lost = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome] : []));
    expect(won).toHaveLength(1);
    expect(lost.map((outcome) => outcome.reason)).toEqual([expect.any(IssueVersionError)]);
    const stored = await deps.issues.get(first.issueId);
    const named = await deps.renderedIssues.get(first.issueId, stored?.sha256 ?? '');
    expect(stored?.subject).toBe(won[0]?.value.issue.subject);
    expect(['By Ann', 'By Bo']).toContain(stored?.subject);
    expect(stored?.sha256).toBe(named && renderHash(named));
    expect(named?.subject).toBe(stored?.subject);
  });
});
