import { useMemo } from 'react';
import { Link } from 'react-router';
import { TimeSeriesChart } from '../../components/charts/time-series-chart';
import { InertText } from '../../components/inert-text';
import { LabelChips } from '../../components/labels-view';
import { LogHistogram } from '../../components/logs/log-histogram';
import { Page } from '../../components/page';
import { Empty, ErrorState, Loading } from '../../components/states';
import { useAlerts } from '../../hooks/alerting-hooks';
import { useGroupDetails } from '../../hooks/group-hooks';
import { useLabelValues, useQueryRange } from '../../hooks/query-hooks';
import { useRateHistory } from '../../hooks/use-rate-history';
import { histogramFromMatrix } from '../../lib/histogram';
import { sumOf } from '../../lib/prometheus-text';
import { seriesColor } from '../../lib/series-palette';
import { formatBytes, formatCount, formatRate } from '../../lib/units';
import { Tile } from '../topics/topic-page';
import { GroupLink } from '../groups/group-link';

const HOUR_MS = 3_600_000;
const VOLUME_STEP_S = 60;

/** `/`: the health of the whole system at a glance: ingest, disk, lag, alerts, log volume. */
export function OverviewPage() {
  const { history, metrics } = useRateHistory('sluice_records_in_total', 'topic');
  const samples = metrics.data?.samples;
  const groups = useGroupDetails({ refreshMs: 10_000 });
  const alerts = useAlerts({ refreshMs: 10_000 });
  const range = useMemo(() => {
    const now = Math.ceil(Date.now() / 60_000) * 60_000;
    return { fromMs: now - HOUR_MS, toMs: now };
  }, []);
  const hosts = useLabelValues('host', range.fromMs, range.toMs);

  const ingestNow = history.timestamps.length > 0 ? [...history.series.values()].reduce((sum, s) => sum + (s[s.length - 1] ?? 0), 0) : null;
  const lag = (groups.data ?? []).map((g) => ({ group: g.group, lag: g.offsets.reduce((s, o) => s + o.lag, 0), members: g.members.length })).sort((a, b) => b.lag - a.lag);
  const firing = (alerts.data ?? []).filter((a) => a.state === 'firing');

  return (
    <Page title="Overview">
      {metrics.error && !samples && <ErrorState error={metrics.error} what="server metrics" retry={metrics.reload} />}
      <div className="grid-tiles">
        <Tile label="Ingest rate (all topics)" value={ingestNow === null ? '…' : formatRate(ingestNow)} sub="records per second, measured by this page" />
        <Tile label="Disk used by topics" value={samples ? formatBytes(sumOf(samples, 'sluice_partition_size_bytes')) : '…'} sub={samples ? `${sumOf(samples, 'sluice_partitions')} partitions` : undefined} />
        <Tile
          label="Largest consumer lag"
          value={groups.data ? formatCount(lag[0]?.lag ?? 0) : groups.error ? 'n/a' : '…'}
          sub={lag[0] ? `group ${lag[0].group}` : 'no consumer groups'}
        />
        <Tile
          label="Firing alerts"
          value={alerts.data ? String(firing.length) : alerts.error ? 'n/a' : '…'}
          sub={alerts.error ? 'alerting API not available' : `${(alerts.data ?? []).length - firing.length} pending`}
        />
        <Tile label="Hosts logging (last hour)" value={hosts.data ? String(hosts.data.length) : hosts.error ? 'n/a' : '…'} />
      </div>
      <div className="grid-2">
        <div className="card">
          <h3>Ingest rate per topic</h3>
          <IngestChart history={history} />
        </div>
        <div className="card">
          <h3>Log volume by level, last hour</h3>
          <LogVolume fromMs={range.fromMs} toMs={range.toMs} />
        </div>
      </div>
      <div className="grid-2">
        <div className="card">
          <h3>
            <Link to="/alerts">Firing alerts</Link>
          </h3>
          {alerts.error ? (
            <ErrorState error={alerts.error} what="alerts" />
          ) : !alerts.data ? (
            <Loading />
          ) : firing.length === 0 ? (
            <Empty>Nothing is firing.</Empty>
          ) : (
            firing.slice(0, 8).map((a) => (
              <div key={a.fingerprint} className="small" style={{ marginBottom: 4 }}>
                <strong>
                  <InertText text={a.rule.name} links={false} />
                </strong>{' '}
                {a.silenced && <span className="badge silenced">silenced</span>} <LabelChips labels={a.labels} omit={['alertname']} />
              </div>
            ))
          )}
        </div>
        <div className="card">
          <h3>
            <Link to="/groups">Consumer lag (indexer, evaluator, your consumers)</Link>
          </h3>
          {groups.error ? (
            <ErrorState error={groups.error} what="consumer groups" />
          ) : !groups.data ? (
            <Loading />
          ) : lag.length === 0 ? (
            <Empty>No consumer groups.</Empty>
          ) : (
            <table className="data" aria-label="Consumer lag">
              <tbody>
                {lag.slice(0, 8).map((g) => (
                  <tr key={g.group}>
                    <td>
                      <GroupLink group={g.group} />
                    </td>
                    <td className="num">{formatCount(g.lag)} behind</td>
                    <td className="num muted">{g.members} member(s)</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </div>
    </Page>
  );
}

function IngestChart({ history }: { history: ReturnType<typeof useRateHistory>['history'] }) {
  const series = useMemo(() => [...history.series.entries()].map(([topic, values], i) => ({ label: topic, color: seriesColor(i), values })), [history]);
  if (history.timestamps.length < 2) return <Empty>Measuring… (this chart starts when the page opens)</Empty>;
  return <TimeSeriesChart ariaLabel="Ingest rate chart" timestamps={history.timestamps} series={series} height={160} formatValue={formatRate} />;
}

function LogVolume({ fromMs, toMs }: { fromMs: number; toMs: number }) {
  const result = useQueryRange(
    { query: `sum by (level) (count_over_time({} [${VOLUME_STEP_S}s]))`, startMs: fromMs + VOLUME_STEP_S * 1000, endMs: toMs, stepSeconds: VOLUME_STEP_S },
    { refreshMs: 60_000 },
  );
  const histogram = useMemo(
    () => (result.data?.resultType === 'matrix' ? histogramFromMatrix(result.data.result, { fromMs, toMs }, VOLUME_STEP_S) : null),
    [result.data, fromMs, toMs],
  );
  if (result.error) return <ErrorState error={result.error} what="log volume" />;
  if (!histogram) return <Loading />;
  if (histogram.total === 0) return <Empty>No log lines in the last hour.</Empty>;
  return (
    <>
      <LogHistogram histogram={histogram} height={160} />
      <div className="muted small">
        {formatCount(histogram.total)} lines · <Link to="/explore?query=%7B%7D">explore them</Link>
      </div>
    </>
  );
}
