/** A count with its noun in good English: `1 slide`, `2 slides`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
