import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { InertText } from '../inert-text';
import { formatDateTime } from '../../lib/time-range';
import { stackSeries } from './stack-series';
import { useCssColors } from './use-css-colors';
import './time-series-chart.css';

export interface ChartSeries {
  /** Untrusted (label values): shown in our own legend as text, never handed to uPlot's DOM. */
  label: string;
  color: string;
  values: (number | null)[];
}

export interface TimeSeriesChartProps {
  /** Epoch seconds, ascending, one per value of every series. */
  timestamps: number[];
  series: ChartSeries[];
  kind?: 'lines' | 'stacked-bars';
  height?: number;
  /** Dragging over the chart selects a time range. */
  onSelectRange?: (fromMs: number, toMs: number) => void;
  formatValue?: (value: number) => string;
  ariaLabel: string;
}

const defaultFormat = (v: number) => (Math.abs(v) >= 1000 ? v.toFixed(0) : String(Math.round(v * 1000) / 1000));

/** A uPlot time-series chart (lines, or bars stacked per series) with a legend that follows the cursor. */
export function TimeSeriesChart({ timestamps, series, kind = 'lines', height = 180, onSelectRange, formatValue = defaultFormat, ariaLabel }: TimeSeriesChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const [hover, setHover] = useState<number | null>(null);
  const colors = useCssColors(['text-dim', 'border']);
  const onSelect = useRef(onSelectRange);
  onSelect.current = onSelectRange;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const stacked = kind === 'stacked-bars';
    const drawn = stacked ? stackSeries(series.map((s) => s.values)) : series.map((s) => s.values);
    const drawnSeries = stacked ? [...series].reverse() : series;
    const axis = { stroke: colors['text-dim'], grid: { stroke: colors.border, width: 1 }, ticks: { stroke: colors.border, width: 1 } };
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      legend: { show: false },
      cursor: { drag: { x: Boolean(onSelect.current), y: false, setScale: false }, points: { show: !stacked } },
      select: { show: Boolean(onSelect.current), left: 0, top: 0, width: 0, height: 0 },
      scales: { x: { time: true }, y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] } },
      // A short chart (the histogram) still gets a few y labels.
      axes: [axis, { ...axis, size: 56, space: height < 160 ? 14 : 30, values: (_u, splits) => splits.map((v) => formatValue(v)) }],
      series: [
        {},
        ...drawnSeries.map((s) => ({
          stroke: s.color,
          fill: stacked ? s.color : undefined,
          width: stacked ? 0 : 1.5,
          paths: stacked ? uPlot.paths.bars!({ size: [0.9, 40], align: 0 }) : undefined,
          points: { show: false },
          spanGaps: false,
        })),
      ],
      hooks: {
        setCursor: [(u) => setHover(u.cursor.idx ?? null)],
        setSelect: [
          (u) => {
            if (u.select.width < 3 || !onSelect.current) return;
            const from = u.posToVal(u.select.left, 'x');
            const to = u.posToVal(u.select.left + u.select.width, 'x');
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            onSelect.current(Math.floor(from * 1000), Math.ceil(to * 1000));
          },
        ],
      },
    };
    const plot = new uPlot(opts, [timestamps, ...drawn] as uPlot.AlignedData, el);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [timestamps, series, kind, height, colors, formatValue]);

  const at = hover !== null && hover < timestamps.length ? hover : null;
  return (
    <div className="ts-chart">
      <div ref={box} role="img" aria-label={ariaLabel} />
      <div className="ts-legend">
        <span className="muted small ts-legend-time">{at !== null ? formatDateTime(timestamps[at]! * 1000) : ''}</span>
        {series.map((s, i) => {
          const value = at !== null ? s.values[at] : null;
          return (
            <span key={i} className="ts-legend-item">
              <span className="ts-swatch" style={{ background: s.color }} />
              <InertText text={s.label} links={false} />
              {at !== null && <span className="muted">: {value === null || value === undefined ? '—' : formatValue(value)}</span>}
            </span>
          );
        })}
      </div>
    </div>
  );
}
