import path from 'node:path';
import { fingerprint } from '../../alerting/labels.js';
import type { Sample } from '../../query/logql/metric/sample.js';
import { renderAnnotation } from '../../rules/annotation-template.js';
import type { AlertRule } from '../../rules/rule-file.js';
import { stepAlerts, type ActiveSeries, type AlertInstance, type Transition } from './alert-state-machine.js';
import { NoDataTracker, type TrackedSeries } from './no-data-tracker.js';
import type { RulePlan } from './rule-plan.js';

/** Why an evaluation ran: a scheduled one also drives no-data; one on arrival only reacts to new data. */
export type EvaluationKind = 'scheduled' | 'arrival';

export interface EvaluationResult {
  transitions: Transition[];
  /** Series the no-data tracker saw at a scheduled evaluation (to persist); empty otherwise. */
  tracked: TrackedSeries[] | null;
}

export type RuleHealth = 'ok' | 'err' | 'unknown';

/**
 * One alert rule at run time: its compiled plan, its alert instances, and its no-data tracker. The
 * window state lives in shared WindowSets; `evaluate` receives their vectors, so the same code serves
 * the live evaluator and the backtest.
 */
export class RuleRuntime {
  readonly instances = new Map<string, AlertInstance>();
  readonly noData: NoDataTracker | null;
  health: RuleHealth = 'unknown';
  lastError: string | null = null;
  lastEvaluation: number | null = null;
  lastEvaluationMs = 0;

  constructor(
    readonly id: string,
    readonly rule: AlertRule,
    readonly plan: RulePlan,
    /** The group's interval: how often scheduled evaluations run. */
    readonly intervalMs: number,
  ) {
    this.noData = rule.noData === 'alert' ? new NoDataTracker(rule.noDataWindows, intervalMs) : null;
  }

  /** Runs the rule at `now` on its range aggregations' vectors (in plan.ranges order). */
  evaluate(now: number, rangeVectors: readonly (readonly Sample[])[], kind: EvaluationKind): EvaluationResult {
    const active = new Map<string, ActiveSeries>();
    for (const sample of this.plan.condition(rangeVectors)) this.addActive(active, sample.labels, sample.value, false);
    let tracked: TrackedSeries[] | null = null;
    if (this.noData !== null && kind === 'scheduled') {
      const { silent } = this.noData.observe(now, this.plan.value(rangeVectors), (labels) => this.instances.has(fingerprint(this.alertLabels(labels))));
      for (const series of silent) if (!active.has(fingerprint(this.alertLabels(series.labels)))) this.addActive(active, series.labels, NaN, true);
      tracked = this.noData.tracked();
    } else if (this.noData !== null) {
      // Between scheduled evaluations, a silent series stays as it was: only a schedule decides silence.
      for (const instance of this.instances.values()) if (instance.noData && !active.has(instance.fingerprint)) active.set(instance.fingerprint, { labels: instance.labels, annotations: instance.annotations, value: NaN, noData: true });
    }
    const transitions = stepAlerts(this.instances, active, now, this.rule);
    this.health = 'ok';
    this.lastError = null;
    this.lastEvaluation = now;
    return { transitions, tracked };
  }

  /** Records an evaluation that failed (the rule keeps its instances as they were). */
  fail(now: number, message: string): void {
    this.health = 'err';
    this.lastError = message;
    this.lastEvaluation = now;
  }

  alertLabels(series: Readonly<Record<string, string>>): Record<string, string> {
    const labels: Record<string, string> = { ...series, ...this.rule.labels, alertname: this.rule.name };
    const sorted: Record<string, string> = {};
    for (const name of Object.keys(labels).sort()) sorted[name] = labels[name]!;
    return sorted;
  }

  private addActive(active: Map<string, ActiveSeries>, series: Record<string, string>, value: number, noData: boolean): void {
    const labels = this.alertLabels(series);
    const annotations: Record<string, string> = {};
    for (const [name, template] of Object.entries(this.rule.annotations)) annotations[name] = renderAnnotation(template, { labels: series, value });
    active.set(fingerprint(labels), { labels, annotations, value, noData });
  }
}

/**
 * A rule's identity across reloads and restarts: its file's name, group and alert name, plus its
 * position among same-named alerts of the group (Prometheus allows repeats). Alert state is keyed by it.
 */
export function ruleId(rule: AlertRule, occurrence: number): string {
  return `${path.basename(rule.position.file)}/${rule.group}/${rule.name}${occurrence === 0 ? '' : `#${occurrence}`}`;
}
