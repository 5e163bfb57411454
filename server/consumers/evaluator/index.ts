/** The alert rule evaluator's public surface: what main.ts wires and the HTTP layer reads. */
export { Evaluator, EVALUATOR_GROUP, type ActiveAlert, type AlertSink, type EvaluatorOptions, type GroupStatus, type RuleStatus } from './evaluator.js';
export { AlertStateStore, type HistoryEntry, type HistoryQuery } from './alert-state-store.js';
export { backtestRules, type BacktestRequest, type BacktestTransition, type FiringPeriod, type RuleBacktest } from './backtest.js';
export type { AlertInstance, AlertState } from './alert-state-machine.js';
