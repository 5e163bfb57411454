import type { RangeAggregation } from '../../query/logql/ast.js';
import { RecordRouter } from './record-router.js';
import type { RuleRuntime } from './rule-runtime.js';
import { feedOf, type WindowFeed } from './window-feed.js';
import { DEFAULT_MAX_SERIES, WindowSet } from './window-set.js';

export interface WindowEntry {
  set: WindowSet;
  feed: WindowFeed;
  /** The range aggregation the set windows (what a feed on another thread is built from). */
  range: RangeAggregation;
  /** The rules reading this window. */
  rules: Set<RuleRuntime>;
  /** Being filled by a replay; its rules are not evaluated yet. */
  warming: boolean;
}

/**
 * The window sets of the rules in effect, shared by key (rules with the same range aggregation read
 * the same window), and a router over their feeds (which topics they read, and the live counters; live
 * records themselves go through the LiveRouter, which merges into these sets by key). Rebuilt on every
 * reload: windows still read keep their state, new ones start empty and warming (the evaluator fills
 * them by a replay).
 */
export class WindowRegistry {
  private entries = new Map<string, WindowEntry>();
  private currentRouter = new RecordRouter([]);

  constructor(private readonly maxSeries = DEFAULT_MAX_SERIES) {}

  get router(): RecordRouter {
    return this.currentRouter;
  }

  /** Gives every rule its windows, drops windows no rule reads, rebuilds the router; returns the new windows. */
  rebuild(rules: Iterable<RuleRuntime>): WindowEntry[] {
    const next = new Map<string, WindowEntry>();
    const added: WindowEntry[] = [];
    for (const runtime of rules) {
      for (const { range, window, windowKey } of runtime.plan.ranges) {
        let entry = next.get(windowKey);
        if (entry === undefined) {
          entry = this.entries.get(windowKey);
          if (entry === undefined) {
            const set = new WindowSet(windowKey, window, this.maxSeries);
            entry = { set, feed: feedOf(range, set), range, rules: new Set(), warming: true };
            added.push(entry);
          }
          entry.rules = new Set();
          next.set(windowKey, entry);
        }
        entry.rules.add(runtime);
      }
    }
    this.entries = next;
    const counters = this.currentRouter.counters;
    this.currentRouter = new RecordRouter([...next.values()].map((e) => e.feed));
    Object.assign(this.currentRouter.counters, counters);
    return added;
  }

  /** The windows a rule reads, in its plan's order. */
  of(runtime: RuleRuntime): WindowEntry[] {
    return runtime.plan.ranges.map((r) => this.entries.get(r.windowKey)!);
  }

  byKey(windowKey: string): WindowEntry | undefined {
    return this.entries.get(windowKey);
  }

  all(): WindowEntry[] {
    return [...this.entries.values()];
  }
}
