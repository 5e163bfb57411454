import type {
  ActiveAlert,
  AlertHistoryEntry,
  BacktestRequest,
  BacktestResult,
  CreateSilenceRequest,
  NotificationEntry,
  RulesData,
  Silence,
} from './alerting-types';
import type { Transport } from './http-transport';

export interface AlertingClient {
  rules(signal?: AbortSignal): Promise<RulesData>;
  alerts(signal?: AbortSignal): Promise<ActiveAlert[]>;
  alertHistory(signal?: AbortSignal): Promise<AlertHistoryEntry[]>;
  notifications(signal?: AbortSignal): Promise<NotificationEntry[]>;
  silences(signal?: AbortSignal): Promise<Silence[]>;
  createSilence(request: CreateSilenceRequest): Promise<{ silenceID: string }>;
  expireSilence(id: string): Promise<void>;
  testRule(request: BacktestRequest, signal?: AbortSignal): Promise<BacktestResult>;
}

interface Envelope<T> {
  status?: string;
  data: T;
}

export function createAlertingClient(t: Transport): AlertingClient {
  return {
    rules: async (signal) => (await t.json<Envelope<RulesData>>('GET', '/api/v1/rules', { signal })).data,
    alerts: async (signal) => (await t.json<Envelope<{ alerts: ActiveAlert[] }>>('GET', '/api/v1/alerts', { signal })).data.alerts,
    alertHistory: async (signal) => (await t.json<Envelope<{ history: AlertHistoryEntry[] }>>('GET', '/api/v1/alerts/history', { signal })).data.history,
    notifications: async (signal) =>
      (await t.json<Envelope<{ notifications: NotificationEntry[] }>>('GET', '/api/v1/notifications', { signal })).data.notifications,
    silences: async (signal) => (await t.json<Envelope<{ silences: Silence[] }>>('GET', '/api/v1/silences', { signal })).data.silences,
    createSilence: (request) => t.json('POST', '/api/v1/silences', { body: request }),
    expireSilence: (id) => t.json('DELETE', `/api/v1/silences/${encodeURIComponent(id)}`),
    testRule: (request, signal) =>
      t.json('POST', '/api/v1/rules/test', { body: { yaml: request.yaml, start: request.startMs, end: request.endMs }, signal }),
  };
}
