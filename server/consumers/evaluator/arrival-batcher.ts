import type { TimerHandle, Timers } from '../../timers.js';
import type { RuleRuntime } from './rule-runtime.js';

interface Lane {
  delayMs: number;
  rules: Set<RuleRuntime>;
  timer: TimerHandle | null;
}

/**
 * Turns "these rules saw new data" into evaluation passes, and wakes rules whose `for` runs out.
 *
 * - A rule that fires at once (`for: 0`) is evaluated `fastDelayMs` after data arrives (one pass for
 *   everything that arrived meanwhile): that is what bounds the time from a line to its alert.
 * - A rule that waits (`for > 0`) gains nothing from being evaluated 20 times a second: at most once per
 *   `slowDelayMs`, which is how precisely its pending time starts. Under heavy traffic this is most of
 *   the evaluation work saved.
 * - A pending instance is woken exactly when its `for` runs out (`wakeAt`), so it fires then rather than
 *   at the group's next scheduled evaluation.
 */
export class ArrivalBatcher {
  private readonly fast: Lane;
  private readonly slow: Lane;
  private readonly wakes = new Map<RuleRuntime, { at: number; timer: TimerHandle }>();
  private stopped = false;

  constructor(
    private readonly timers: Timers,
    private readonly run: (rules: RuleRuntime[]) => void,
    fastDelayMs: number,
    slowDelayMs: number,
  ) {
    this.fast = { delayMs: fastDelayMs, rules: new Set(), timer: null };
    this.slow = { delayMs: slowDelayMs, rules: new Set(), timer: null };
  }

  /** `rule` saw new data. */
  mark(rule: RuleRuntime): void {
    if (this.stopped) return;
    const lane = rule.rule.forMs === 0 ? this.fast : this.slow;
    lane.rules.add(rule);
    lane.timer ??= this.timers.set(lane.delayMs, () => {
      lane.timer = null;
      const rules = [...lane.rules];
      lane.rules.clear();
      this.run(rules);
    });
  }

  /** Evaluates `rule` at `at` (epoch ms, on the clock `now` belongs to), unless an earlier wake is set. */
  wakeAt(rule: RuleRuntime, at: number, now: number): void {
    if (this.stopped) return;
    const current = this.wakes.get(rule);
    if (current !== undefined && current.at <= at && current.at > now) return;
    current?.timer.cancel();
    const timer = this.timers.set(at - now, () => {
      if (this.wakes.get(rule)?.timer === timer) this.wakes.delete(rule);
      this.run([rule]);
    });
    this.wakes.set(rule, { at, timer });
  }

  stop(): void {
    this.stopped = true;
    for (const lane of [this.fast, this.slow]) lane.timer?.cancel();
    for (const wake of this.wakes.values()) wake.timer.cancel();
    this.wakes.clear();
  }
}
