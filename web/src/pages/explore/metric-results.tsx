import { useMemo } from 'react';
import type { LokiQueryData } from '../../api/loki-types';
import { TimeSeriesChart } from '../../components/charts/time-series-chart';
import { InertText } from '../../components/inert-text';
import { Empty } from '../../components/states';
import { alignMatrix, sampleNumber, seriesName } from '../../lib/matrix-series';
import { seriesColor } from '../../lib/series-palette';
import { DataTable } from '../../components/data-table';

/** A metric query's answer: a chart for a matrix, a table for an instant vector or scalar. */
export function MetricResults({ data, onSelectRange }: { data: LokiQueryData; onSelectRange(fromMs: number, toMs: number): void }) {
  const aligned = useMemo(() => (data.resultType === 'matrix' ? alignMatrix(data.result) : null), [data]);
  const series = useMemo(
    () => aligned?.series.map((s, i) => ({ label: seriesName(s.labels), color: seriesColor(i), values: s.values })) ?? [],
    [aligned],
  );
  if (data.resultType === 'streams') return null;
  if (data.resultType === 'scalar') {
    return (
      <div className="card">
        <span className="muted">scalar</span> <span className="mono">{data.result[1]}</span>
      </div>
    );
  }
  if (data.resultType === 'vector') {
    if (data.result.length === 0) return <Empty>The query returned no series.</Empty>;
    return (
      <DataTable
        label="Series"
        head={
          <>
            <th>Series</th>
            <th className="num">Value</th>
          </>
        }
      >
        {data.result.map((s, i) => (
          <tr key={i}>
            <td className="mono">
              <InertText text={seriesName(s.metric)} links={false} />
            </td>
            <td className="num mono">{sampleNumber(s.value[1])}</td>
          </tr>
        ))}
      </DataTable>
    );
  }
  if (!aligned || aligned.series.length === 0) return <Empty>The query returned no series in this time range.</Empty>;
  return (
    <div className="card">
      <TimeSeriesChart ariaLabel="Query result chart" timestamps={aligned.timestamps} series={series} height={320} onSelectRange={onSelectRange} />
      <div className="muted small" style={{ marginTop: 6 }}>
        {aligned.series.length} series · {aligned.timestamps.length} points
      </div>
    </div>
  );
}
