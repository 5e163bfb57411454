import type { Demotion } from './index-catalog.js';
import type { LabelValueReport } from './shard/shard-protocol.js';

/**
 * The cardinality guard's global count. Each shard sees only its partitions, and one label's values are
 * spread over all of them, so shards report the hashes of values new to them and the count happens
 * here, per (topic, day, label). Past the limit a label is demoted: the indexer records the decision and
 * tells every shard, which from then on keeps it as a field of each line. Ingest never fails over it.
 */
export class CardinalityGuard {
  private readonly values = new Map<string, Set<number>>();
  private readonly demoted = new Map<string, Demotion>();

  constructor(private readonly limit: number) {}

  /** Restores decisions made before a restart. */
  restore(demotions: readonly Demotion[]): void {
    for (const d of demotions) this.demoted.set(key(d.topicId, d.day, d.name), d);
  }

  /** Counts a shard's report; returns true when it takes the label over the limit (a new demotion). */
  count(report: LabelValueReport): boolean {
    const k = key(report.topicId, report.day, report.name);
    if (this.demoted.has(k)) return false;
    let set = this.values.get(k);
    if (set === undefined) this.values.set(k, (set = new Set()));
    for (const h of report.hashes) set.add(h);
    return set.size > this.limit;
  }

  /** Records a demotion; false when the label already was demoted. */
  demote(d: Demotion): boolean {
    const k = key(d.topicId, d.day, d.name);
    if (this.demoted.has(k)) return false;
    this.demoted.set(k, d);
    this.values.delete(k);
    return true;
  }

  list(topicId?: number): Demotion[] {
    return [...this.demoted.values()].filter((d) => topicId === undefined || d.topicId === topicId);
  }

  /** Labels demoted for lines of this day. */
  demotedOn(topicId: number, day: number): Set<string> {
    const out = new Set<string>();
    for (const d of this.demoted.values()) if (d.topicId === topicId && d.day === day) out.add(d.name);
    return out;
  }

  forgetDay(topicId: number, day: number): void {
    const prefix = `${topicId}/${day}/`;
    for (const map of [this.values, this.demoted]) for (const k of map.keys()) if (k.startsWith(prefix)) map.delete(k);
  }

  forgetTopic(topicId: number): void {
    const prefix = `${topicId}/`;
    for (const map of [this.values, this.demoted]) for (const k of map.keys()) if (k.startsWith(prefix)) map.delete(k);
  }
}

function key(topicId: number, day: number, name: string): string {
  return `${topicId}/${day}/${name}`;
}
