import { useRequest, type RequestOptions } from './use-request';

export const useRules = (options?: RequestOptions) => useRequest((c, s) => c.alerting.rules(s), 'rules', options);

export const useAlerts = (options?: RequestOptions) => useRequest((c, s) => c.alerting.alerts(s), 'alerts', options);

export const useAlertHistory = (options?: RequestOptions) => useRequest((c, s) => c.alerting.alertHistory(s), 'alert-history', options);

export const useNotifications = (options?: RequestOptions) => useRequest((c, s) => c.alerting.notifications(s), 'notifications', options);

export const useSilences = (options?: RequestOptions) => useRequest((c, s) => c.alerting.silences(s), 'silences', options);
