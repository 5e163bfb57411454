import { Counter, Gauge, type Registry } from 'prom-client';
import type { Evaluator } from '../consumers/evaluator/index.js';
import type { RuleFileState } from '../rules/rule-directory.js';

export interface RuleMetricsSources {
  evaluator: Evaluator;
  files: () => RuleFileState[];
}

/**
 * Gauges of the rule files and the evaluator, computed at scrape time. A rule file that failed to
 * load shows as sluice_rule_file_errors > 0 (the previous version of it keeps running), which is
 * what an alert on the alerting itself should watch.
 */
export function registerRuleMetrics(registry: Registry, sources: RuleMetricsSources): void {
  const registers = [registry];
  new Gauge({
    name: 'sluice_rule_file_errors',
    help: 'Problems in the current text of each rule file (0: loaded)',
    labelNames: ['file'],
    registers,
    collect() {
      this.reset();
      for (const f of sources.files()) this.set({ file: f.file }, f.errors.length);
    },
  });
  new Gauge({
    name: 'sluice_rules',
    help: 'Alert rules in effect, by health (ok, err, unknown: not evaluated yet)',
    labelNames: ['health'],
    registers,
    collect() {
      this.reset();
      const counts = { ok: 0, err: 0, unknown: 0 };
      for (const g of sources.evaluator.groupStatuses()) for (const r of g.rules) counts[r.health]++;
      for (const [health, n] of Object.entries(counts)) this.set({ health }, n);
    },
  });
  new Gauge({
    name: 'sluice_alerts',
    help: 'Alert instances by state',
    labelNames: ['state'],
    registers,
    collect() {
      this.reset();
      const counts = { pending: 0, firing: 0 };
      for (const a of sources.evaluator.activeAlerts()) counts[a.instance.state]++;
      for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
    },
  });
  // Counters kept by the evaluator itself, copied at scrape time.
  new Counter({
    name: 'sluice_evaluator_records_total',
    help: 'Records the evaluator read live (read), those some rule selected, refused as dated in the future, not decodable, and read by replays',
    labelNames: ['kind'],
    registers,
    collect() {
      const c = sources.evaluator.routerCounters;
      this.reset();
      this.inc({ kind: 'read' }, c.records);
      this.inc({ kind: 'selected' }, c.matched);
      this.inc({ kind: 'future' }, c.future);
      this.inc({ kind: 'undecodable' }, c.undecodable);
      this.inc({ kind: 'replayed' }, sources.evaluator.counters.replayedRecords);
    },
  });
  new Counter({
    name: 'sluice_rule_evaluations_total',
    help: 'Rule evaluations run, and those that failed',
    labelNames: ['result'],
    registers,
    collect() {
      this.reset();
      this.inc({ result: 'ok' }, sources.evaluator.counters.evaluations);
      this.inc({ result: 'failed' }, sources.evaluator.counters.failures);
    },
  });
}
