/** A count as people read it, its thousands grouped: `4,000`. */
export function formatCount(value: number): string {
  return value.toLocaleString('en');
}
