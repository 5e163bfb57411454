import { useMemo } from 'react';
import type { LevelHistogram } from '../../lib/histogram';
import { LEVELS } from '../../lib/log-level';
import { TimeSeriesChart, type ChartSeries } from '../charts/time-series-chart';
import { useCssColors } from '../charts/use-css-colors';

const LEVEL_VARS = LEVELS.map((l) => `level-${l}` as const);

/** Matching lines over time, stacked by level; dragging selects a time range. */
export function LogHistogram({ histogram, onSelectRange, height = 130 }: { histogram: LevelHistogram; onSelectRange?: (fromMs: number, toMs: number) => void; height?: number }) {
  const colors = useCssColors(LEVEL_VARS);
  const series = useMemo<ChartSeries[]>(
    () => histogram.levels.map((l) => ({ label: l.level, color: colors[`level-${l.level}`], values: l.counts })),
    [histogram, colors],
  );
  return <TimeSeriesChart ariaLabel="Log volume by level" timestamps={histogram.timestamps} series={series} kind="stacked-bars" height={height} onSelectRange={onSelectRange} formatValue={formatCountAxis} />;
}

function formatCountAxis(v: number): string {
  if (v >= 1e6) return `${(v / 1e6).toFixed(1)}M`;
  if (v >= 1e3) return `${(v / 1e3).toFixed(1)}k`;
  return String(Math.round(v * 100) / 100);
}
