/**
 * Shapes of the alerting API (docs/alerting.md): rules and alerts as Prometheus' /api/v1/rules and
 * /api/v1/alerts answer them, silences as Alertmanager's.
 */
import type { Labels } from './loki-types';

export type AlertState = 'firing' | 'pending' | 'inactive';

export interface ActiveAlert {
  labels: Labels;
  annotations: Labels;
  state: AlertState;
  activeAt: string | null;
  value: string | number | null;
  /** Ids of the silences that mute this alert (empty or absent when none). */
  silencedBy?: string[];
}

export interface RuleStatus {
  name: string;
  query: string;
  duration?: number;
  keepFiringFor?: number;
  labels: Labels;
  annotations: Labels;
  alerts: ActiveAlert[];
  health: 'ok' | 'err' | 'unknown';
  lastError?: string;
  lastEvaluation?: string;
  evaluationTime?: number;
  state?: AlertState;
  type?: string;
}

export interface FileProblem {
  file: string;
  line: number;
  col: number;
  message: string;
}

export interface RuleGroupStatus {
  name: string;
  file: string;
  interval: number;
  rules: RuleStatus[];
  lastEvaluation?: string;
  evaluationTime?: number;
}

export interface RulesData {
  groups: RuleGroupStatus[];
  /** Files that failed to load (the previous version of each keeps running). */
  errors?: FileProblem[];
}

export interface SilenceMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual?: boolean;
}

export interface Silence {
  id: string;
  matchers: SilenceMatcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  status: { state: 'active' | 'pending' | 'expired' };
}

export interface CreateSilenceRequest {
  matchers: SilenceMatcher[];
  startsAt?: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

export interface AlertHistoryEntry {
  labels: Labels;
  state: AlertState | 'resolved';
  at: string;
  value?: string | number | null;
  rule?: string;
}

export interface NotificationEntry {
  at: string;
  notifier: string;
  status: string;
  alert?: string;
  labels?: Labels;
  error?: string | null;
  attempts?: number;
}

export interface BacktestRequest {
  /** The rule file text (YAML) or one rule; the server validates and replays it. */
  yaml: string;
  startMs: number;
  endMs: number;
}

export interface BacktestResult {
  problems?: FileProblem[];
  /** When each alert instance would have fired and resolved over the window. */
  firings?: { labels: Labels; from: string; to: string | null }[];
}
