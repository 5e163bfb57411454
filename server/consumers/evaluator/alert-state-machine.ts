/**
 * The life of one alert instance (one series of one rule), Prometheus' model:
 *
 *   (absent) ──condition holds──▶ pending ──held for `for`──▶ firing ──condition gone for `keepFiringFor`──▶ resolved
 *                                    │                          ▲   │
 *                                    └──condition gone──▶ (inactive, forgotten)   └──holds again: stays firing
 *
 * With `for: 0` an instance fires at the evaluation that first sees it. A pending instance whose
 * condition goes away is forgotten without notification; a firing one resolves, unless its condition
 * comes back within `keepFiringFor` (flap control).
 */

export type AlertState = 'pending' | 'firing';

export interface AlertInstance {
  fingerprint: string;
  /** The alert's labels: series labels, then the rule's labels, then alertname. */
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: AlertState;
  /** The value of the last evaluation where the condition held; NaN for a no-data instance. */
  value: number;
  /** The series went silent (noData: alert) rather than meeting the condition. */
  noData: boolean;
  /** When the condition first held (the start of pending). */
  activeAt: number;
  firedAt: number | null;
  /** The last evaluation at which the condition held. */
  lastActiveAt: number;
  /** A firing instance whose condition went away: the first evaluation without it (keepFiringFor counts from here). */
  keepFiringSince: number | null;
}

/** One series for which the rule's condition holds at this evaluation. */
export interface ActiveSeries {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  value: number;
  noData: boolean;
}

export type TransitionKind = 'pending' | 'firing' | 'resolved' | 'inactive';

export interface Transition {
  kind: TransitionKind;
  at: number;
  instance: AlertInstance;
}

export interface HoldTimes {
  forMs: number;
  keepFiringForMs: number;
}

/**
 * Moves every instance one evaluation forward at time `now`, given the series for which the condition
 * holds (keyed by fingerprint). Changes `instances` in place; returns the transitions, in a stable
 * order (new and changed instances first, then the ones that ended).
 */
export function stepAlerts(instances: Map<string, AlertInstance>, active: ReadonlyMap<string, ActiveSeries>, now: number, hold: HoldTimes): Transition[] {
  const transitions: Transition[] = [];
  for (const [fingerprint, series] of active) {
    let instance = instances.get(fingerprint);
    if (instance === undefined) {
      instance = {
        fingerprint,
        labels: series.labels,
        annotations: series.annotations,
        state: 'pending',
        value: series.value,
        noData: series.noData,
        activeAt: now,
        firedAt: null,
        lastActiveAt: now,
        keepFiringSince: null,
      };
      instances.set(fingerprint, instance);
      if (hold.forMs > 0) transitions.push({ kind: 'pending', at: now, instance });
    } else {
      instance.value = series.value;
      instance.annotations = series.annotations;
      instance.noData = series.noData;
      instance.lastActiveAt = now;
      instance.keepFiringSince = null;
    }
    if (instance.state === 'pending' && now - instance.activeAt >= hold.forMs) {
      instance.state = 'firing';
      instance.firedAt = now;
      transitions.push({ kind: 'firing', at: now, instance });
    }
  }
  for (const [fingerprint, instance] of instances) {
    if (active.has(fingerprint)) continue;
    if (instance.state === 'pending') {
      instances.delete(fingerprint);
      transitions.push({ kind: 'inactive', at: now, instance });
    } else {
      // Prometheus' keep_firing_for: counted from the first evaluation that no longer sees the condition.
      instance.keepFiringSince ??= now;
      if (now - instance.keepFiringSince >= hold.keepFiringForMs) {
        instances.delete(fingerprint);
        transitions.push({ kind: 'resolved', at: now, instance });
      }
    }
  }
  return transitions;
}
