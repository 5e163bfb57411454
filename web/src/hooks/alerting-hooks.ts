import type { BacktestRequest } from '../api/alerting-types';
import { useRequest, type RequestOptions } from './use-request';

export const useRules = (options?: RequestOptions) => useRequest((c, s) => c.alerting.rules(s), 'rules', options);

export const useAlerts = (options?: RequestOptions) => useRequest((c, s) => c.alerting.alerts(s), 'alerts', options);

export const useAlertHistory = (limit = 200, options?: RequestOptions) =>
  useRequest((c, s) => c.alerting.alertHistory(limit, s), `alert-history:${limit}`, options);

export const useNotifications = (limit = 100, options?: RequestOptions) =>
  useRequest((c, s) => c.alerting.notifications(limit, s), `notifications:${limit}`, options);

export const useSilences = (options?: RequestOptions) => useRequest((c, s) => c.alerting.silences(s), 'silences', options);

/** POST /api/v1/rules/test: validates a rule and replays it over a window (null: nothing to test yet). */
export const useRuleBacktest = (request: BacktestRequest | null) =>
  useRequest((c, s) => c.alerting.testRule(request!, s), `backtest:${JSON.stringify(request)}`, { enabled: request !== null });
