/** Distinct colours that read on both the dark and the light background. */
export const SERIES_PALETTE = ['#5aa5ff', '#f2a65a', '#57c785', '#e86a92', '#9b8cf2', '#4fc1c9', '#d6c14a', '#c7835a', '#8fb35a', '#b07ad9'];

export function seriesColor(index: number): string {
  return SERIES_PALETTE[index % SERIES_PALETTE.length]!;
}
