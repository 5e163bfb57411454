import { fingerprint, LABEL_NAME, type Labels } from './labels.js';

/**
 * An alert as the evaluator hands it over (Alertmanager's postable alert, with epoch-ms times).
 * A firing alert may leave endsAt out: it then resolves by itself resolve_timeout after it was last
 * received, unless received again. A resolved alert carries the time it ended (or status 'resolved').
 */
export interface AlertInput {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  /** Epoch ms; default: now. */
  startsAt?: number;
  /** Epoch ms; at or before now means resolved. */
  endsAt?: number;
  generatorURL?: string;
  /** Shorthand: 'resolved' without endsAt ends the alert now. */
  status?: 'firing' | 'resolved';
}

/** An alert inside alerting: validated, fingerprinted, with both times set. */
export interface Alert {
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly startsAt: number;
  readonly endsAt: number;
  readonly generatorURL: string;
  readonly fingerprint: string;
  /** When this version was received. */
  readonly updatedAt: number;
  /** endsAt was not given but derived from resolve_timeout. */
  readonly timeout: boolean;
}

/** Alertmanager's ResolvedAt: an alert is resolved once its end time is not after `now`. */
export function isResolved(alert: Pick<Alert, 'endsAt'>, now: number): boolean {
  return alert.endsAt <= now;
}

/** Validates one input and completes it, or returns why it is refused. */
export function toAlert(input: AlertInput, now: number, resolveTimeoutMs: number): Alert | string {
  if (typeof input !== 'object' || input === null || typeof input.labels !== 'object' || input.labels === null) return 'an alert needs labels';
  const names = Object.keys(input.labels);
  if (names.length === 0) return 'an alert needs at least one label';
  for (const name of names) {
    if (!LABEL_NAME.test(name)) return `invalid label name ${JSON.stringify(name)}`;
    if (typeof input.labels[name] !== 'string') return `label ${name} must be a string`;
  }
  for (const [name, value] of Object.entries(input.annotations ?? {})) {
    if (typeof value !== 'string') return `annotation ${JSON.stringify(name)} must be a string`;
  }
  for (const key of ['startsAt', 'endsAt'] as const) {
    const t = input[key];
    if (t !== undefined && !Number.isFinite(t)) return `${key} must be epoch milliseconds`;
  }
  const startsAt = input.startsAt ?? now;
  let endsAt = input.endsAt;
  let timeout = false;
  if (endsAt === undefined) {
    if (input.status === 'resolved') endsAt = now;
    else {
      endsAt = now + resolveTimeoutMs;
      timeout = true;
    }
  }
  if (endsAt < startsAt) return 'endsAt is before startsAt';
  const labels = { ...input.labels };
  return {
    labels,
    annotations: { ...input.annotations },
    startsAt,
    endsAt,
    generatorURL: input.generatorURL ?? '',
    fingerprint: fingerprint(labels),
    updatedAt: now,
    timeout,
  };
}

/**
 * Alertmanager's types.Alert.Merge, applied when a new version of a known alert arrives while the
 * old one's active range overlaps it: the earliest start wins; the newer version's end wins unless
 * the older had a later explicit (non-timeout) end, or both are resolved and the older ended later.
 */
export function mergeAlerts(older: Alert, newer: Alert, now: number): Alert {
  if (newer.updatedAt < older.updatedAt) return mergeAlerts(newer, older, now);
  let startsAt = newer.startsAt;
  let endsAt = newer.endsAt;
  let timeout = newer.timeout;
  if (older.startsAt < newer.startsAt) startsAt = older.startsAt;
  if (isResolved(newer, now)) {
    if (isResolved(older, now) && older.endsAt > newer.endsAt) endsAt = older.endsAt;
  } else if (older.endsAt > newer.endsAt && !older.timeout) {
    endsAt = older.endsAt;
    timeout = false;
  }
  return { ...newer, startsAt, endsAt, timeout };
}

/** Alertmanager merges only when the new version's range overlaps the old one's. */
export function overlaps(older: Alert, newer: Alert): boolean {
  return (newer.endsAt > older.startsAt && newer.endsAt < older.endsAt) || (newer.startsAt > older.startsAt && newer.startsAt < older.endsAt);
}
