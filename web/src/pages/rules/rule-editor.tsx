import { useMemo, useState } from 'react';
import type { BacktestResult, RuleFields, RuleGroupStatus, RuleStatus } from '../../api/alerting-types';
import { TimeSeriesChart } from '../../components/charts/time-series-chart';
import { useCssColors } from '../../components/charts/use-css-colors';
import { CopyButton } from '../../components/copy-button';
import { InertText } from '../../components/inert-text';
import { LabelChips } from '../../components/labels-view';
import { ErrorState } from '../../components/states';
import { useRuleBacktest } from '../../hooks/alerting-hooks';
import { useDebounced } from '../../hooks/use-debounced';
import { keyValuesText, parseKeyValues, ruleYaml } from '../../lib/rule-yaml';
import { formatDateTime, parseDurationMs } from '../../lib/time-range';
import './rule-editor.css';
import { DataTable } from '../../components/data-table';

const WINDOWS = [
  { label: 'last hour', from: 'now-1h', ms: 3_600_000 },
  { label: 'last 6 hours', from: 'now-6h', ms: 21_600_000 },
  { label: 'last 24 hours', from: 'now-24h', ms: 86_400_000 },
];
/** Evaluations per backtest at most: a 1s group over a day would be 86,400 (the engine refuses > 11,000). */
const MAX_BACKTEST_STEPS = 1000;

/**
 * Edits one rule and checks it as you type: every change (after a pause) goes to the backtest API,
 * which validates the rule exactly as a rule file would be validated and replays it over stored data,
 * so errors and "when would this have fired" come from the same place the evaluator uses.
 */
export function RuleEditor({ rule, group, onClose }: { rule: RuleStatus | null; group: RuleGroupStatus | null; onClose(): void }) {
  const [alert, setAlert] = useState(rule?.name ?? '');
  const [expr, setExpr] = useState(rule?.query ?? '');
  const [forText, setFor] = useState(rule && rule.for !== '0s' ? rule.for : '');
  const [keepFiring, setKeepFiring] = useState(rule && rule.keepFiringFor !== '0s' ? rule.keepFiringFor : '');
  const [labelsText, setLabelsText] = useState(keyValuesText(rule?.labels));
  const [annotationsText, setAnnotationsText] = useState(keyValuesText(rule?.annotations));
  const [windowFrom, setWindowFrom] = useState(WINDOWS[1]!.from);

  const labels = parseKeyValues(labelsText);
  const annotations = parseKeyValues(annotationsText);
  const fields: RuleFields = useMemo(
    () => ({
      alert: alert.trim(),
      expr,
      ...(forText.trim() ? { for: forText.trim() } : {}),
      ...(keepFiring.trim() ? { keepFiringFor: keepFiring.trim() } : {}),
      ...(Object.keys(labels.map).length ? { labels: labels.map } : {}),
      ...(Object.keys(annotations.map).length ? { annotations: annotations.map } : {}),
      ...(rule?.noData === 'alert' ? { noData: 'alert' as const } : {}),
    }),
    [alert, expr, forText, keepFiring, labelsText, annotationsText, rule?.noData],
  );
  const settled = useDebounced(fields, 500);
  const ready = settled.alert !== '' && settled.expr.trim() !== '' && !labels.problem && !annotations.problem;
  const interval = group?.interval ?? '1m';
  const windowMs = WINDOWS.find((w) => w.from === windowFrom)!.ms;
  // Replay at the group's interval when that fits; coarser for long windows of fast groups.
  const stepS = Math.max(Math.ceil((parseDurationMs(interval) ?? 60_000) / 1000), Math.ceil(windowMs / 1000 / MAX_BACKTEST_STEPS));
  const backtest = useRuleBacktest(ready ? { rule: settled, interval, from: windowFrom, to: 'now', step: `${stepS}s` } : null);
  const checking = fields !== settled || backtest.loading;

  return (
    <section className="card rule-editor" aria-label="Rule editor">
      <div className="row">
        <h3 style={{ margin: 0 }}>{rule ? <>Edit rule <InertText text={rule.name} links={false} /></> : 'New rule'}</h3>
        {group && (
          <span className="muted small">
            in <InertText text={`${group.file} › ${group.name}`} links={false} /> (every {group.interval})
          </span>
        )}
        <div className="spacer" />
        <button className="btn small" onClick={onClose}>
          Close
        </button>
      </div>
      <div className="rule-editor-grid">
        <label className="field">
          Alert name
          <input className="input mono" value={alert} onChange={(e) => setAlert(e.target.value)} aria-label="Alert name" />
        </label>
        <label className="field">
          For (pending before firing)
          <input className="input mono" value={forText} onChange={(e) => setFor(e.target.value)} placeholder="0s" aria-label="For" />
        </label>
        <label className="field">
          Keep firing for
          <input className="input mono" value={keepFiring} onChange={(e) => setKeepFiring(e.target.value)} placeholder="0s" aria-label="Keep firing for" />
        </label>
        <label className="field wide">
          Expression (LogQL metric query; each series with a value is an alert)
          <textarea className="input mono" rows={3} value={expr} onChange={(e) => setExpr(e.target.value)} aria-label="Expression" spellCheck={false} />
        </label>
        <label className="field">
          Labels (name=value per line)
          <textarea className={`input mono${labels.problem ? ' invalid' : ''}`} rows={3} value={labelsText} onChange={(e) => setLabelsText(e.target.value)} aria-label="Labels" />
          {labels.problem && <span style={{ color: 'var(--danger)' }}>{labels.problem}</span>}
        </label>
        <label className="field wide2">
          Annotations (name=value per line; templates like {'{{ $labels.service }}'})
          <textarea className={`input mono${annotations.problem ? ' invalid' : ''}`} rows={3} value={annotationsText} onChange={(e) => setAnnotationsText(e.target.value)} aria-label="Annotations" />
          {annotations.problem && <span style={{ color: 'var(--danger)' }}>{annotations.problem}</span>}
        </label>
      </div>

      <div className="row">
        <strong className="small">Would have fired over the</strong>
        {WINDOWS.map((w) => (
          <button key={w.from} className={`btn small${windowFrom === w.from ? ' active' : ''}`} onClick={() => setWindowFrom(w.from)}>
            {w.label}
          </button>
        ))}
        <span className="muted small" role="status" aria-label="Rule check status">
          {!ready ? 'Fill in a name and an expression.' : checking ? 'Checking…' : backtest.error ? 'Has problems' : 'Valid'}
        </span>
      </div>
      {ready && backtest.error && !checking && <RuleProblems error={backtest.error} />}
      {ready && backtest.data && !backtest.error && <BacktestView result={backtest.data} />}

      <details>
        <summary className="small">Save: the rule as YAML for {group ? <InertText text={group.file} links={false} /> : 'a file in rules/'}</summary>
        <p className="muted small">
          Rule files stay the source of truth and this server has no endpoint that writes them: paste this under the group's <code>rules:</code>; the
          server reloads the file within seconds and reports any problem here.
        </p>
        <pre className="mono rule-yaml">{ruleYaml(fields)}</pre>
        <CopyButton label="Copy YAML" text={ruleYaml(fields)} />
      </details>
    </section>
  );
}

function RuleProblems({ error }: { error: Error }) {
  if (!('status' in error) || (error as { status: number }).status !== 400) return <ErrorState error={error} what="the rule check" />;
  return (
    <div className="state error" role="alert" aria-label="Rule problems">
      {error.message.split('\n').map((line, i) => (
        <div key={i} className="mono small">
          <InertText text={line} links={false} />
        </div>
      ))}
    </div>
  );
}

function BacktestView({ result }: { result: BacktestResult }) {
  const rule = result.rules[0];
  const chart = useMemo(() => (rule ? firingOverTime(result) : null), [result, rule]);
  const colors = useCssColors(['danger']);
  const series = useMemo(() => (chart ? [{ label: 'firing alerts', color: colors.danger, values: chart.values }] : []), [chart, colors]);
  if (!rule) return null;
  const from = Date.parse(result.from);
  const to = Date.parse(result.to);
  return (
    <div className="card" aria-label="Backtest">
      <div className="small">
        {rule.evaluations} evaluation(s) every {rule.step} from {formatDateTime(from)} to {formatDateTime(to)}:{' '}
        <strong>{rule.firing.length === 0 ? 'it would not have fired.' : `it would have fired ${rule.firing.length} time(s).`}</strong>
        {rule.truncated && <span className="muted"> (only the first transitions are listed)</span>}
      </div>
      {chart && rule.firing.length > 0 && (
        <TimeSeriesChart ariaLabel="Firing alerts over time" timestamps={chart.timestamps} series={series} height={120} />
      )}
      {rule.firing.length > 0 && (
        <DataTable
          label="Firing periods"
          style={{ maxHeight: 220, overflowY: 'auto' }}
          head={
            <>
              <th>Labels</th>
              <th>From</th>
              <th>To</th>
              <th className="num">Max value</th>
            </>
          }
        >
          {rule.firing.map((p, i) => (
            <tr key={i}>
              <td>
                <LabelChips labels={p.labels} />
              </td>
              <td className="mono nowrap">{formatDateTime(Date.parse(p.from))}</td>
              <td className="mono nowrap">{p.to === null ? 'still firing' : formatDateTime(Date.parse(p.to))}</td>
              <td className="num mono">{p.noData ? 'no data' : (p.maxValue ?? '—')}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </div>
  );
}

/** How many instances were firing at each step of the backtest window. */
function firingOverTime(result: BacktestResult): { timestamps: number[]; values: number[] } {
  const rule = result.rules[0]!;
  const from = Date.parse(result.from);
  const to = Date.parse(result.to);
  const stepMs = Math.max(1000, (to - from) / 200);
  const timestamps: number[] = [];
  const values: number[] = [];
  const periods = rule.firing.map((p) => [Date.parse(p.from), p.to === null ? Infinity : Date.parse(p.to)] as const);
  for (let t = from; t <= to; t += stepMs) {
    timestamps.push(t / 1000);
    values.push(periods.filter(([a, b]) => a <= t && t < b).length);
  }
  return { timestamps, values };
}
