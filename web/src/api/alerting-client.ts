import type {
  ActiveAlert,
  AlertHistoryEntry,
  BacktestRequest,
  BacktestResult,
  CreateSilenceRequest,
  DeliveryAttempt,
  RulesData,
  Silence,
} from './alerting-types';
import type { Transport } from './http-transport';

/** The alerting endpoints (rules, alerts, silences, the delivery log, the backtest). */
export interface AlertingClient {
  rules(signal?: AbortSignal): Promise<RulesData>;
  alerts(signal?: AbortSignal): Promise<ActiveAlert[]>;
  alertHistory(limit: number, signal?: AbortSignal): Promise<AlertHistoryEntry[]>;
  notifications(limit: number, signal?: AbortSignal): Promise<DeliveryAttempt[]>;
  silences(signal?: AbortSignal): Promise<Silence[]>;
  createSilence(request: CreateSilenceRequest): Promise<{ id: string }>;
  expireSilence(id: string): Promise<void>;
  testRule(request: BacktestRequest, signal?: AbortSignal): Promise<BacktestResult>;
}

export function createAlertingClient(t: Transport): AlertingClient {
  return {
    rules: (signal) => t.json('GET', '/api/v1/rules', { signal }),
    alerts: async (signal) => (await t.json<{ alerts: ActiveAlert[] }>('GET', '/api/v1/alerts', { signal })).alerts,
    alertHistory: async (limit, signal) => (await t.json<{ history: AlertHistoryEntry[] }>('GET', '/api/v1/alerts/history', { query: { limit }, signal })).history,
    notifications: async (limit, signal) =>
      (await t.json<{ notifications: DeliveryAttempt[] }>('GET', '/api/v1/notifications', { query: { limit }, signal })).notifications,
    silences: async (signal) => (await t.json<{ silences: Silence[] }>('GET', '/api/v1/silences', { signal })).silences,
    createSilence: (request) => t.json('POST', '/api/v1/silences', { body: request }),
    expireSilence: (id) => t.json('DELETE', `/api/v1/silences/${encodeURIComponent(id)}`),
    testRule: (request, signal) => t.json('POST', '/api/v1/rules/test', { body: request, signal }),
  };
}
