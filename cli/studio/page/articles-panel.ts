import type { Article } from './api-types.ts';
import { addArticle, moveArticle, removeArticle, sameOrder } from './article-order.ts';
import { byId, type HTMLButtonElement, h } from './dom.ts';

/** What the panel edits: the articles of the issue shown, and whether that issue is a draft. */
export interface ShownArticles {
  ids: readonly string[];
  /** The draft shown, whose next version a save makes; absent: a save makes a new draft. */
  draftId?: string;
}

/**
 * The articles of the issue shown, in order, with buttons to move each up or down and to
 * remove it, a list to add a stored article from, and a button that saves the list as a draft
 * (`onSave`: a new draft, or the shown draft's next version). Moving keeps the focus on the
 * button that moved the article, so the keyboard can move it again.
 */
export class ArticlesPanel {
  private stored: readonly Article[] = [];
  private shown: ShownArticles = { ids: [] };
  private edited: string[] = [];
  private readonly list = h('ol', { class: 'article-list', 'aria-describedby': 'articles-help' });
  private readonly adding = h('select', { id: 'article-add' });
  private readonly addButton = h('button', { type: 'button' }, 'Add');
  private readonly saveButton = h(
    'button',
    { type: 'button', class: 'primary' },
    'Save as a draft',
  );
  private readonly resetButton = h('button', { type: 'button', class: 'quiet' }, 'Undo changes');
  private readonly status = h('p', { class: 'article-status' });
  private readonly result = h('p', { class: 'article-result', role: 'status' });

  /**
   * @param onSave saves the list (a new draft, or the next version of `draftId`) and resolves
   *   with what to tell the editor, success or failure
   */
  constructor(
    private readonly onSave: (ids: string[], draftId: string | undefined) => Promise<string>,
  ) {
    this.addButton.addEventListener('click', () => {
      if (this.adding.value) this.change(addArticle(this.edited, this.adding.value));
    });
    this.resetButton.addEventListener('click', () => this.change([...this.shown.ids]));
    this.saveButton.addEventListener('click', async () => {
      this.saveButton.disabled = true;
      this.result.textContent = 'Saving…';
      this.result.textContent = await this.onSave([...this.edited], this.shown.draftId);
      this.draw();
    });
    byId('articles').append(
      h(
        'p',
        { class: 'help', id: 'articles-help' },
        'The articles of the issue shown, in order. Move, add or remove them, then save as a draft.',
      ),
      this.list,
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'article-add' }, 'Add a stored article'),
        h('div', { class: 'inline' }, this.adding, this.addButton),
      ),
      h('div', { class: 'buttons' }, this.saveButton, this.resetButton),
      this.status,
      this.result,
    );
    this.draw();
  }

  /** The stored articles, newest first, for headlines and the list to add from. */
  setStored(articles: readonly Article[]): void {
    this.stored = articles;
    this.draw();
  }

  /**
   * The articles of the issue now shown. Edits not saved are kept while the same articles of
   * the same issue are shown again (a re-render after a template was saved), and dropped when
   * the preview shows other ones.
   */
  setShown(shown: ShownArticles): void {
    const same = shown.draftId === this.shown.draftId && sameOrder(shown.ids, this.shown.ids);
    this.shown = shown;
    if (!same) this.edited = [...shown.ids];
    this.draw();
  }

  /** The list as edited now. */
  get ids(): readonly string[] {
    return this.edited;
  }

  private change(ids: string[], focus?: { id: string; role: string }): void {
    this.edited = ids;
    this.draw();
    if (focus) this.focus(focus.id, focus.role);
  }

  private headline(id: string): string {
    return this.stored.find((article) => article.id === id)?.headline ?? id;
  }

  private draw(): void {
    const items = this.edited.map((id, index) => {
      const headline = this.headline(id);
      const button = (
        role: string,
        label: string,
        text: string,
        disabled: boolean,
        run: () => void,
      ) => {
        const element = h(
          'button',
          {
            type: 'button',
            class: 'quiet',
            'data-id': id,
            'data-role': role,
            'aria-label': `${label}: ${headline}`,
            disabled,
          },
          text,
        );
        element.addEventListener('click', run);
        return element;
      };
      return h(
        'li',
        { class: 'article-item' },
        h('span', { class: 'article-headline' }, headline),
        h(
          'span',
          { class: 'article-buttons' },
          button('up', 'Move up', 'Up', index === 0, () =>
            this.change(moveArticle(this.edited, index, -1), {
              id,
              role: index - 1 === 0 ? 'down' : 'up',
            }),
          ),
          button('down', 'Move down', 'Down', index === this.edited.length - 1, () =>
            this.change(moveArticle(this.edited, index, 1), {
              id,
              role: index + 1 === this.edited.length - 1 ? 'up' : 'down',
            }),
          ),
          button('remove', 'Remove', 'Remove', false, () => {
            const next = this.edited[index + 1] ?? this.edited[index - 1];
            this.change(
              removeArticle(this.edited, index),
              next ? { id: next, role: 'remove' } : undefined,
            );
          }),
        ),
      );
    });
    this.list.replaceChildren(...items);
    if (items.length === 0) this.list.append(h('li', { class: 'article-none' }, 'No articles.'));
    const addable = this.stored.filter((article) => !this.edited.includes(article.id));
    this.adding.replaceChildren(
      ...(addable.length > 0
        ? addable.map((article) => h('option', { value: article.id }, article.headline))
        : [h('option', { value: '' }, 'Every stored article is in the list')]),
    );
    this.adding.disabled = addable.length === 0;
    this.addButton.disabled = addable.length === 0;
    const changed = !sameOrder(this.edited, this.shown.ids);
    this.saveButton.textContent = this.shown.draftId
      ? "Save as the draft's next version"
      : 'Save as a new draft';
    this.saveButton.disabled =
      this.edited.length === 0 || (!changed && this.shown.draftId !== undefined);
    this.resetButton.disabled = !changed;
    this.status.textContent = changed ? 'Changed, not saved.' : '';
  }

  private focus(id: string, role: string): void {
    const target = this.list.querySelector<HTMLButtonElement>(
      `button[data-id="${cssString(id)}"][data-role="${role}"]`,
    );
    if (target && !target.disabled) target.focus();
    else
      this.list
        .querySelector<HTMLButtonElement>(`button[data-id="${cssString(id)}"]:not([disabled])`)
        ?.focus();
  }
}

/** An id inside a double-quoted CSS attribute selector (article ids are slugs: a-z, 0-9, -). */
function cssString(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('"', '\\"');
}
