/**
 * The articles of an issue being edited: ids in their order. Each change returns a new list;
 * a move past either end, or of an index that is not there, returns the list unchanged.
 */

/** The list with the article at `index` moved one place up (`-1`) or down (`1`). */
export function moveArticle(ids: readonly string[], index: number, offset: -1 | 1): string[] {
  const target = index + offset;
  if (index < 0 || index >= ids.length || target < 0 || target >= ids.length) return [...ids];
  const moved = [...ids];
  [moved[index], moved[target]] = [moved[target] as string, moved[index] as string];
  return moved;
}

/** The list without the article at `index`. */
export function removeArticle(ids: readonly string[], index: number): string[] {
  return ids.filter((_, position) => position !== index);
}

/** The list with `id` added at the end, unless it is in it already. */
export function addArticle(ids: readonly string[], id: string): string[] {
  return ids.includes(id) ? [...ids] : [...ids, id];
}

/** Whether two lists name the same articles in the same order. */
export function sameOrder(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, index) => b[index] === id);
}
