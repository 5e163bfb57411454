/**
 * Shapes of the alerting API: docs/alerting.md (silences, notifications) and server/http/routes/
 * (rules.ts, alerts.ts): alerts and rules as the evaluator reports them.
 */
import type { Labels } from './loki-types';

export type AlertState = 'pending' | 'firing';

export interface ActiveAlert {
  fingerprint: string;
  rule: { id: string; group: string; name: string };
  labels: Labels;
  annotations: Labels;
  state: AlertState;
  /** null for a no-data alert. */
  value: number | null;
  noData: boolean;
  /** RFC 3339: when the condition first held. */
  since: string;
  firedAt: string | null;
  silenced: boolean;
  silencedBy: string[];
  inhibited: boolean;
}

export type TransitionKind = 'pending' | 'firing' | 'resolved' | 'inactive';

export interface AlertHistoryEntry {
  id: number;
  ruleId: string;
  alertname: string;
  fingerprint: string;
  labels: Labels;
  state: TransitionKind;
  value: number | null;
  noData: boolean;
  at: string;
}

export interface RuleAlert {
  fingerprint: string;
  labels: Labels;
  state: AlertState;
  value: number | null;
  noData: boolean;
  activeAt: string | null;
}

export interface RuleStatus {
  id: string;
  name: string;
  query: string;
  for: string;
  keepFiringFor: string;
  labels: Labels;
  annotations: Labels;
  noData: 'ok' | 'alert';
  health: string;
  lastError: string | null;
  lastEvaluation: string | null;
  /** Seconds. */
  evaluationTime: number;
  warming?: boolean;
  series?: number;
  state: 'firing' | 'pending' | 'inactive';
  alerts: RuleAlert[];
}

export interface RuleGroupStatus {
  name: string;
  file: string;
  interval: string;
  lastEvaluation: string | null;
  evaluationTime: number;
  rules: RuleStatus[];
}

export interface RuleFileStatus {
  file: string;
  loadedAt: string | null;
  /** Problems of the file's current text (the last good version keeps running). */
  errors: { line: number; col: number; message: string }[];
}

export interface RulesData {
  groups: RuleGroupStatus[];
  files: RuleFileStatus[];
}

export interface SilenceMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

export type SilenceState = 'pending' | 'active' | 'scheduled' | 'expired';

export interface Silence {
  id: string;
  matchers: SilenceMatcher[];
  matcherText: string[];
  startsAt: string;
  endsAt: string | null;
  createdBy: string;
  comment: string;
  recurrence: { days: string[]; start: string; end: string; timezone: string } | null;
  status: { state: SilenceState };
  createdAt: string;
  updatedAt: string;
}

export interface CreateSilenceRequest {
  id?: string;
  matchers: SilenceMatcher[];
  startsAt?: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

export interface DeliveryAttempt {
  id: number;
  outboxId: number;
  at: string;
  receiver: string;
  integration: string;
  groupKey: string;
  status: 'firing' | 'resolved';
  alerts: number;
  attempt: number;
  success: boolean;
  detail: string;
  durationMs: number;
  outcome: 'delivered' | 'retrying' | 'failed';
}

/** One rule as the editor has it: the fields of a rule file entry. */
export interface RuleFields {
  alert: string;
  expr: string;
  for?: string;
  keepFiringFor?: string;
  labels?: Labels;
  annotations?: Labels;
  noData?: 'ok' | 'alert';
}

export interface BacktestRequest {
  /** A whole rule file's YAML text… */
  rules?: string;
  file?: string;
  /** …or one rule's fields. */
  rule?: RuleFields;
  interval?: string;
  alert?: string;
  from: string | number;
  to?: string | number;
  step?: string;
}

export interface BacktestRule {
  id: string;
  alert: string;
  group: string;
  step: string;
  evaluations: number;
  firing: { labels: Labels; from: string; to: string | null; maxValue: number | null; noData: boolean }[];
  transitions: { at: string; state: TransitionKind; labels: Labels; value: number | null }[];
  truncated: boolean;
}

export interface BacktestResult {
  from: string;
  to: string;
  rules: BacktestRule[];
}
