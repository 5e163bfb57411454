/** The public surface of alerting: what main.ts wires, what the evaluator and the HTTP layer call. */
export { Alerting, type AlertingOptions, type AlertStatus, type AlertView, type NotificationApi, type ReceiveResult, type SilenceApi } from './alerting.js';
export { alertingConfigSchema, DEFAULT_ALERTING_CONFIG, type AlertingConfig } from './alerting-config.js';
export type { AlertInput } from './alert.js';
export { fingerprint, type Labels } from './labels.js';
export { LabelMatcher, parseMatchers, type MatcherJson } from './matcher.js';
export type { SilenceInput } from './silence-store.js';
export type { SilenceView } from './silence.js';
export type { WeeklyWindow } from './weekly-window.js';
