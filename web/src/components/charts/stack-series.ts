/**
 * uPlot draws every bar from zero, so a stacked bar chart is drawn as cumulative totals, the tallest
 * first: each later (shorter) series paints over the bottom of the one before. Returns the series in
 * drawing order; the legend keeps showing each series' own values.
 */
export function stackSeries(series: (number | null)[][]): number[][] {
  const cumulative: number[][] = [];
  let running: number[] | null = null;
  for (const values of series) {
    const next: number[] = values.map((v, i) => (v ?? 0) + (running?.[i] ?? 0));
    cumulative.push(next);
    running = next;
  }
  return cumulative.reverse();
}
