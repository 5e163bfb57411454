import { isResolved, type Alert } from './alert.js';
import type { Labels } from './labels.js';
import { matchesAll, type LabelMatcher } from './matcher.js';

/** An `inhibit_rules` entry: firing source alerts mute target alerts that agree on the `equal` labels. */
export interface InhibitRule {
  sourceMatchers: LabelMatcher[];
  targetMatchers: LabelMatcher[];
  equal: string[];
}

/**
 * Alertmanager's inhibitor. Each rule keeps the alerts that match its source side; an alert is
 * inhibited when it matches a rule's target side and some firing source alert has the same values
 * for every `equal` label (absent counts as empty, so two alerts both lacking a label agree on it).
 * An alert matching both sides of a rule cannot be inhibited by another alert matching both sides
 * of it, so a rule like "critical mutes warning, same alertname" cannot mute each critical by the other.
 */
export class Inhibitor {
  private readonly sources: Array<Map<string, Alert>>;

  constructor(private readonly rules: readonly InhibitRule[]) {
    this.sources = rules.map(() => new Map());
  }

  /** Takes note of a new version of an alert. */
  observe(alert: Alert): void {
    this.rules.forEach((rule, i) => {
      if (matchesAll(rule.sourceMatchers, alert.labels)) this.sources[i]!.set(alert.fingerprint, alert);
      else this.sources[i]!.delete(alert.fingerprint);
    });
  }

  /** The fingerprint of an alert inhibiting one with `labels` now, or null. */
  inhibitedBy(labels: Labels, now: number): string | null {
    for (let i = 0; i < this.rules.length; i++) {
      const rule = this.rules[i]!;
      if (!matchesAll(rule.targetMatchers, labels)) continue;
      const excludeTwoSided = matchesAll(rule.sourceMatchers, labels);
      for (const source of this.sources[i]!.values()) {
        if (isResolved(source, now)) continue;
        if (!rule.equal.every((name) => (source.labels[name] ?? '') === (labels[name] ?? ''))) continue;
        if (excludeTwoSided && matchesAll(rule.targetMatchers, source.labels)) continue;
        return source.fingerprint;
      }
    }
    return null;
  }

  /** Drops source alerts resolved before `now`. */
  gc(now: number): void {
    for (const cache of this.sources) for (const [fp, alert] of cache) if (isResolved(alert, now)) cache.delete(fp);
  }
}
