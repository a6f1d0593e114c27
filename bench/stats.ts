/**
 * The middle of `values` once sorted, or the mean of the two middle ones when their count is
 * even: the figure the benchmarks report, as one slow run (a GC pause, a busy machine) does not
 * move it. NaN when there are none, so that no budget check passes on no runs.
 */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
}
