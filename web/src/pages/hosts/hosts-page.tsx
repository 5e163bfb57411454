import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { LokiQueryData } from '../../api/loki-types';
import { TimeSeriesChart } from '../../components/charts/time-series-chart';
import { InertText } from '../../components/inert-text';
import { Page } from '../../components/page';
import { Empty, ErrorState, Loading } from '../../components/states';
import { TimeRangePicker } from '../../components/time-range-picker';
import { useInstantQuery, useQueryRange } from '../../hooks/query-hooks';
import { alignMatrix, sampleNumber, seriesName } from '../../lib/matrix-series';
import { seriesColor } from '../../lib/series-palette';
import { resolveRange, stepForRange, type TimeRangeText } from '../../lib/time-range';
import { formatAgo, formatRate } from '../../lib/units';
import { HOST_TABLE_QUERIES, hostCharts, type HostChartSpec } from './host-queries';
import { DataTable } from '../../components/data-table';

const DAY_MS = 86_400_000;
const FIVE_MIN_S = 300;

interface HostRow {
  host: string;
  lastSeenMs: number | null;
  linesPerSecond: number | null;
  cpu: number | null;
  memory: number | null;
  disk: number | null;
}

/** /hosts?host=&from=&to=: every host an agent reports from, and one host's CPU, memory, disk and log charts. */
export function HostsPage() {
  const [search, setSearch] = useSearchParams();
  const range: TimeRangeText = { from: search.get('from') || 'now-1h', to: search.get('to') || 'now' };
  const hosts = useHostRows();
  const selected = search.get('host') ?? hosts.rows?.[0]?.host ?? null;
  const set = (patch: Record<string, string>) => setSearch({ ...Object.fromEntries(search), ...patch });
  return (
    <Page title="Hosts" actions={<TimeRangePicker value={range} onChange={(r) => set({ from: r.from, to: r.to })} />}>
      {hosts.error && !hosts.rows ? (
        <ErrorState error={hosts.error} what="hosts" />
      ) : !hosts.rows ? (
        <Loading what="Loading hosts" />
      ) : hosts.rows.length === 0 ? (
        <Empty>No host has sent metrics or logs with a host label in the last 24 hours. Run `sluice agent` on a host to see it here.</Empty>
      ) : (
        <HostTable rows={hosts.rows} selected={selected} onSelect={(host) => set({ host })} />
      )}
      {selected && <HostCharts host={selected} range={range} />}
    </Page>
  );
}

/** Five queries, joined by host. A query that fails leaves its column empty instead of failing the page. */
function useHostRows(): { rows: HostRow[] | null; error: Error | undefined } {
  // The end of the current minute, not its start: a host that began sending a few seconds ago is in
  // the window. Whole minutes keep the five queries' keys equal within a render pass.
  const now = useMemo(() => Math.ceil(Date.now() / 60_000) * 60_000, []);
  const span = { startMs: now - DAY_MS, endMs: now, stepSeconds: FIVE_MIN_S };
  const seen = useQueryRange({ query: HOST_TABLE_QUERIES.seen, ...span }, { refreshMs: 60_000 });
  const lines = useQueryRange({ query: HOST_TABLE_QUERIES.lines, ...span }, { refreshMs: 60_000 });
  const cpu = useInstantQuery({ query: HOST_TABLE_QUERIES.cpu, timeMs: now });
  const memory = useInstantQuery({ query: HOST_TABLE_QUERIES.memory, timeMs: now });
  const disk = useInstantQuery({ query: HOST_TABLE_QUERIES.disk, timeMs: now });
  return useMemo(() => {
    if (seen.loading || lines.loading) return { rows: null, error: undefined };
    if (seen.error && lines.error) return { rows: null, error: seen.error };
    const rows = new Map<string, HostRow>();
    const row = (host: string) => {
      let r = rows.get(host);
      if (!r) rows.set(host, (r = { host, lastSeenMs: null, linesPerSecond: null, cpu: null, memory: null, disk: null }));
      return r;
    };
    for (const [data, isLines] of [[seen.data, false], [lines.data, true]] as const) {
      if (data?.resultType !== 'matrix') continue;
      for (const s of data.result) {
        const host = s.metric.host;
        const last = s.values[s.values.length - 1];
        if (!host || !last) continue;
        const r = row(host);
        r.lastSeenMs = Math.max(r.lastSeenMs ?? 0, last[0] * 1000);
        if (isLines && last[0] * 1000 >= now - 2 * FIVE_MIN_S * 1000) r.linesPerSecond = sampleNumber(last[1]) / FIVE_MIN_S;
      }
    }
    for (const [data, key] of [[cpu.data, 'cpu'], [memory.data, 'memory'], [disk.data, 'disk']] as const) {
      if (data?.resultType !== 'vector') continue;
      for (const s of data.result) if (s.metric.host && rows.has(s.metric.host)) row(s.metric.host)[key] = sampleNumber(s.value[1]);
    }
    return { rows: [...rows.values()].sort((a, b) => a.host.localeCompare(b.host)), error: undefined };
  }, [seen, lines, cpu.data, memory.data, disk.data, now]);
}

function HostTable({ rows, selected, onSelect }: { rows: HostRow[]; selected: string | null; onSelect(host: string): void }) {
  const pct = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)}%`);
  return (
    <DataTable
      label="Hosts"
      head={
        <>
          <th>Host</th>
          <th>Last seen</th>
          <th className="num">Log lines/s</th>
          <th className="num">CPU</th>
          <th className="num">Memory</th>
          <th className="num">Fullest disk</th>
        </>
      }
    >
      {rows.map((r) => (
        <tr key={r.host} onClick={() => onSelect(r.host)} style={{ cursor: 'pointer', background: r.host === selected ? 'var(--bg-selected)' : undefined }}>
          <td>
            <button className="btn small" onClick={() => onSelect(r.host)} aria-pressed={r.host === selected}>
              <InertText text={r.host} links={false} />
            </button>
          </td>
          <td title="to the nearest 5 minutes">{r.lastSeenMs !== null && Date.now() - r.lastSeenMs < FIVE_MIN_S * 1000 ? 'in the last 5 minutes' : formatAgo(r.lastSeenMs)}</td>
          <td className="num">{r.linesPerSecond === null ? '—' : formatRate(r.linesPerSecond)}</td>
          <td className="num">{pct(r.cpu)}</td>
          <td className="num">{pct(r.memory)}</td>
          <td className="num" style={{ color: (r.disk ?? 0) > 90 ? 'var(--danger)' : undefined }}>
            {pct(r.disk)}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

function HostCharts({ host, range }: { host: string; range: TimeRangeText }) {
  const resolved = useMemo(() => resolveRange(range, Date.now()), [range.from, range.to]);
  const step = stepForRange(resolved, 120);
  const specs = hostCharts(host, Math.max(step, 30));
  return (
    <>
      <h2 style={{ margin: '4px 0 0', fontSize: 15 }}>
        <InertText text={host} links={false} />
      </h2>
      <div className="grid-2">
        {specs.map((spec) => (
          <HostChart key={spec.title} spec={spec} startMs={resolved.fromMs} endMs={resolved.toMs} step={step} />
        ))}
      </div>
    </>
  );
}

function HostChart({ spec, startMs, endMs, step }: { spec: HostChartSpec; startMs: number; endMs: number; step: number }) {
  const result = useQueryRange({ query: spec.query, startMs, endMs, stepSeconds: step }, { refreshMs: 30_000 });
  return (
    <div className="card" aria-label={spec.title}>
      <h3>{spec.title}</h3>
      {result.error ? <ErrorState error={result.error} what={spec.title.toLowerCase()} /> : !result.data ? <Loading /> : <SeriesChart data={result.data} unit={spec.unit} title={spec.title} />}
    </div>
  );
}

function SeriesChart({ data, unit, title }: { data: LokiQueryData; unit: HostChartSpec['unit']; title: string }) {
  const aligned = useMemo(() => (data.resultType === 'matrix' ? alignMatrix(data.result) : null), [data]);
  const series = useMemo(
    () => aligned?.series.map((s, i) => ({ label: Object.keys(s.labels).length === 1 && s.labels.host ? s.labels.host : seriesName(s.labels), color: seriesColor(i), values: s.values })) ?? [],
    [aligned],
  );
  const format = useMemo(() => (unit === '%' ? (v: number) => `${v.toFixed(0)}%` : unit === '/s' ? (v: number) => formatRate(v) : (v: number) => v.toFixed(2)), [unit]);
  if (!aligned || aligned.series.length === 0) return <Empty>No data in this range.</Empty>;
  return <TimeSeriesChart ariaLabel={`${title} chart`} timestamps={aligned.timestamps} series={series} height={170} formatValue={format} />;
}
