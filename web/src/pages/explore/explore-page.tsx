import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useLocation, useSearchParams } from 'react-router';
import { isApiError } from '../../api/api-error';
import { CopyButton } from '../../components/copy-button';
import { LabelChips } from '../../components/labels-view';
import { LogHistogram } from '../../components/logs/log-histogram';
import { LogList } from '../../components/logs/log-list';
import { Page } from '../../components/page';
import { QueryBox } from '../../components/query-box';
import { Empty, ErrorState, Loading } from '../../components/states';
import { TimeRangePicker } from '../../components/time-range-picker';
import { useLabelNames, useLabelValues, useQueryRange } from '../../hooks/query-hooks';
import { histogramFromMatrix, histogramFromRows, histogramQuery } from '../../lib/histogram';
import { commonLabels, flattenStreams, type LogRow } from '../../lib/log-rows';
import { isLogQuery } from '../../lib/logql-completion';
import { selectorFor } from '../../lib/stream-selector';
import { resolveRange, stepForRange, type ResolvedRange } from '../../lib/time-range';
import { formatCount } from '../../lib/units';
import { ContextDialog } from './context-dialog';
import { LIMITS, lineLink, readExploreState, writeExploreState, type ExploreState } from './explore-url-state';
import { LiveTailView } from './live-tail-view';
import { MetricResults } from './metric-results';
import './explore.css';

/** Performance marks around a query, read by the end-to-end benchmark (time to first result). */
export const QUERY_START_MARK = 'sluice:query-start';
export const FIRST_RESULT_MEASURE = 'sluice:first-result';

/**
 * /explore: a LogQL query over a time range. Log queries show a histogram by level and the lines
 * (virtualized, expandable, with context and links); metric queries show a chart; live tail streams.
 * Everything that defines the view is in the URL.
 */
export function ExplorePage() {
  const [search, setSearch] = useSearchParams();
  const location = useLocation();
  const state = useMemo(() => readExploreState(search), [search]);
  const [draft, setDraft] = useState(state.query);
  const [runs, setRuns] = useState(0);
  const [paused, setPaused] = useState(false);
  const [contextRow, setContextRow] = useState<LogRow | null>(null);
  const [wrap, setWrap] = useState(false);
  const measuring = useRef(false);

  useEffect(() => setDraft(state.query), [state.query]);

  // Relative ranges ("last hour") are resolved when the query runs, not on every render.
  const range = useMemo(() => resolveRange(state.range, Date.now()), [state.range.from, state.range.to, state.query, runs]);
  const update = useCallback((patch: Partial<ExploreState>) => setSearch(writeExploreState({ ...state, ...patch })), [state, setSearch]);
  const run = () => {
    performance.clearMarks(QUERY_START_MARK);
    performance.mark(QUERY_START_MARK);
    measuring.current = true;
    update({ query: draft.trim(), line: null });
    setRuns((n) => n + 1);
  };
  const selectRange = useCallback((fromMs: number, toMs: number) => update({ range: { from: String(fromMs), to: String(toMs) }, line: null }), [update]);

  const query = state.query;
  const logMode = query !== '' && isLogQuery(query);
  const step = stepForRange(range);
  const result = useQueryRange(
    query && !state.live
      ? { query, startMs: range.fromMs, endMs: range.toMs, ...(logMode ? { limit: state.limit, direction: state.direction } : { stepSeconds: step }) }
      : null,
  );

  const labelNames = useLabelNames(range.fromMs, range.toMs);
  const [wantedLabel, setWantedLabel] = useState<string | null>(null);
  const wantedValues = useLabelValues(wantedLabel, range.fromMs, range.toMs);
  const [valueCache, setValueCache] = useState<Record<string, string[]>>({});
  useEffect(() => {
    if (wantedLabel && wantedValues.data) setValueCache((cache) => ({ ...cache, [wantedLabel]: wantedValues.data! }));
  }, [wantedLabel, wantedValues.data]);
  const labelValues = useCallback((name: string) => valueCache[name], [valueCache]);

  const queryError = result.error && isApiError(result.error) && result.error.status === 400 ? result.error : null;
  const otherError = result.error && !queryError ? result.error : null;

  return (
    <Page title="Explore">
      <div className="explore-bar">
        <QueryBox
          value={draft}
          onChange={setDraft}
          onRun={run}
          error={queryError ? { message: queryError.message, position: queryError.position } : null}
          labelNames={labelNames.data ?? []}
          labelValues={labelValues}
          onWantValues={setWantedLabel}
          autoFocus={(location.state as { focusQuery?: boolean } | null)?.focusQuery === true || !query}
        />
        <div className="row explore-controls">
          <TimeRangePicker value={state.range} onChange={(r) => update({ range: r, line: null })} />
          <select className="input" value={state.limit} onChange={(e) => update({ limit: Number(e.target.value) })} aria-label="Line limit" title="Line limit">
            {LIMITS.map((n) => (
              <option key={n} value={n}>
                {n} lines
              </option>
            ))}
          </select>
          <button
            className={`btn${state.live ? ' active' : ''}`}
            disabled={!logMode}
            onClick={() => {
              setPaused(false);
              update({ live: !state.live });
            }}
            title={logMode ? 'Stream new lines as they arrive' : 'Live tail needs a log query'}
          >
            {state.live ? 'Stop live' : 'Live'}
          </button>
          <button className="btn primary" onClick={run}>
            Run
          </button>
        </div>
      </div>

      {!query ? (
        <ExploreHelp labelNames={labelNames.data} onPick={(q) => setDraft(q)} />
      ) : state.live ? (
        <LiveTailView query={query} paused={paused} onTogglePause={() => setPaused((p) => !p)} />
      ) : otherError ? (
        <ErrorState error={otherError} what="the query result" retry={result.reload} />
      ) : queryError ? null : !result.data ? (
        <Loading what="Running the query" />
      ) : result.data.resultType === 'streams' ? (
        <LogResults
          streams={result.data.result}
          state={state}
          range={range}
          step={step}
          wrap={wrap}
          onWrap={setWrap}
          onDirection={(direction) => update({ direction })}
          onSelectRange={selectRange}
          onContext={setContextRow}
          onRendered={() => {
            if (!measuring.current) return;
            measuring.current = false;
            performance.clearMeasures(FIRST_RESULT_MEASURE);
            performance.measure(FIRST_RESULT_MEASURE, QUERY_START_MARK);
          }}
        />
      ) : (
        <MetricResults data={result.data} onSelectRange={selectRange} />
      )}
      {contextRow && <ContextDialog row={contextRow} onClose={() => setContextRow(null)} />}
    </Page>
  );
}

function LogResults({
  streams,
  state,
  range,
  step,
  wrap,
  onWrap,
  onDirection,
  onSelectRange,
  onContext,
  onRendered,
}: {
  streams: Parameters<typeof flattenStreams>[0];
  state: ExploreState;
  range: ResolvedRange;
  step: number;
  wrap: boolean;
  onWrap(wrap: boolean): void;
  onDirection(direction: 'backward' | 'forward'): void;
  onSelectRange(fromMs: number, toMs: number): void;
  onContext(row: LogRow): void;
  onRendered(): void;
}) {
  const rows = useMemo(() => flattenStreams(streams, state.direction), [streams, state.direction]);
  const shared = useMemo(() => commonLabels(rows), [rows]);
  const truncated = rows.length >= state.limit;
  // A complete result is counted here exactly; a truncated one needs the server to count every line.
  const bucket0 = Math.floor(range.fromMs / 1000 / step) * step;
  const counted = useQueryRange(
    truncated
      ? { query: histogramQuery(state.query, step), startMs: (bucket0 + step) * 1000, endMs: Math.ceil(range.toMs / 1000 / step) * step * 1000, stepSeconds: step }
      : null,
  );
  const histogram = useMemo(() => {
    if (truncated && counted.data?.resultType === 'matrix') return { h: histogramFromMatrix(counted.data.result, range, step), exact: true };
    return { h: histogramFromRows(rows, range, step), exact: !truncated };
  }, [truncated, counted.data, rows, range, step]);
  const highlight = state.line ? (rows.find((r) => r.tsNs === state.line)?.id ?? null) : null;

  if (rows.length === 0) return <Empty>No lines match in this time range.</Empty>;
  return (
    <>
      <div className="card explore-histogram">
        <LogHistogram histogram={histogram.h} onSelectRange={onSelectRange} />
        <div className="muted small">
          {histogram.exact
            ? `${formatCount(histogram.h.total)} matching line(s)`
            : counted.loading
              ? 'Counting every matching line…'
              : `Volume of the ${formatCount(rows.length)} loaded lines (the full count failed${counted.error ? `: ${counted.error.message}` : ''})`}
          {' · drag over the chart to zoom in'}
        </div>
      </div>
      <div className="row small">
        <span>
          <strong>{formatCount(rows.length)}</strong> line(s){truncated && <span className="muted"> (limit reached: narrow the range or raise the limit)</span>}
        </span>
        {Object.keys(shared).length > 0 && (
          <span className="muted">
            common labels: <LabelChips labels={shared} />
          </span>
        )}
        <div className="spacer" />
        <button className="btn small" onClick={() => onDirection(state.direction === 'backward' ? 'forward' : 'backward')}>
          {state.direction === 'backward' ? 'Newest first' : 'Oldest first'}
        </button>
        <label className="row" style={{ gap: 4 }}>
          <input type="checkbox" checked={wrap} onChange={(e) => onWrap(e.target.checked)} /> Wrap lines
        </label>
      </div>
      <div className="explore-results">
        <LogList
          rows={rows}
          commonLabels={shared}
          wrap={wrap}
          highlightId={highlight}
          onRendered={onRendered}
          renderActions={(row) => (
            <>
              <button className="btn small" onClick={() => onContext(row)}>
                Show context
              </button>
              <CopyButton label="Copy link" text={lineLink(window.location.origin, selectorFor(row.labels), row.ms, row.tsNs)} />
              <CopyButton label="Copy line" text={row.line} />
            </>
          )}
        />
      </div>
    </>
  );
}

const EXAMPLES = ['{service=~".+"}', '{level="error"}', 'sum by (level) (count_over_time({service=~".+"}[1m]))'];

function ExploreHelp({ labelNames, onPick }: { labelNames: string[] | undefined; onPick(query: string): void }) {
  return (
    <div className="card explore-help">
      <h3>Write a LogQL query</h3>
      <p className="muted">
        Start with a stream selector in braces; the box completes label names and values. Add line filters (<code>|= "text"</code>,{' '}
        <code>|~ "regex"</code>), parsers (<code>| json</code>, <code>| logfmt</code>) or wrap it in a metric function to chart it. Press{' '}
        <kbd>/</kbd> to focus the box and <kbd>Enter</kbd> to run.
      </p>
      <div className="row">
        {EXAMPLES.map((q) => (
          <button key={q} className="btn small mono" onClick={() => onPick(q)}>
            {q}
          </button>
        ))}
      </div>
      {labelNames && labelNames.length > 0 && (
        <p className="muted small">
          Labels in this range: <span className="mono">{labelNames.join(', ')}</span>
        </p>
      )}
    </div>
  );
}
