import { streamKey } from '../../../ingest/log-entry.js';

/** Which stream of a file a line goes to, once demoted labels are taken out of its label set. */
export interface StreamRoute {
  key: string;
  labelsJson: string;
  /** Demoted labels of the line, kept as fields; null when none. */
  demoted: Record<string, string> | null;
}

export interface RouterEvents {
  /** A value this shard had not seen for the label on that day. */
  newValue(topicId: number, day: number, name: string, value: string): void;
  /** The shard saw more than the limit of distinct values itself and demoted the label. */
  demoted(topicId: number, day: number, name: string): void;
}

interface DayState {
  demoted: Set<string>;
  routes: Map<string, StreamRoute>;
  values: Map<string, Set<string>>;
}

/**
 * The cardinality guard's shard side. Label values are counted per (topic, day, label) when a label
 * set is first seen, which is once per stream, not per line. A label over the limit is demoted: from
 * then on it is a field of each line, not part of the stream's identity, so it no longer multiplies
 * streams and blocks. The indexer adds up what every shard saw and broadcasts demotions (indexer.ts).
 */
export class StreamRouter {
  private readonly days = new Map<string, DayState>();

  constructor(
    private readonly maxValues: number,
    private readonly events: RouterEvents,
  ) {}

  route(topicId: number, day: number, labels: Record<string, string>): StreamRoute {
    const state = this.day(topicId, day);
    // Cheaper than streamKey (no sort, no JSON): a stream's records all carry their labels in one order.
    let rawKey = '';
    for (const name in labels) rawKey += name + '\u0000' + labels[name] + '\u0001';
    const cached = state.routes.get(rawKey);
    if (cached !== undefined) return cached;
    let demotedNow = false;
    for (const [name, value] of Object.entries(labels)) {
      if (state.demoted.has(name)) continue;
      let values = state.values.get(name);
      if (values === undefined) state.values.set(name, (values = new Set()));
      if (values.has(value)) continue;
      values.add(value);
      this.events.newValue(topicId, day, name, value);
      if (values.size > this.maxValues) {
        this.markDemoted(state, name);
        this.events.demoted(topicId, day, name);
        demotedNow = true;
      }
    }
    if (demotedNow) state.routes.clear();
    const route = buildRoute(labels, state.demoted);
    state.routes.set(rawKey, route);
    return route;
  }

  /** Counts the label values of streams a file already holds (after a restart). */
  seed(topicId: number, day: number, labelSets: Array<Record<string, string>>): void {
    for (const labels of labelSets) this.route(topicId, day, labels);
  }

  demote(topicId: number, day: number, name: string): void {
    const state = this.day(topicId, day);
    if (state.demoted.has(name)) return;
    this.markDemoted(state, name);
    state.routes.clear();
  }

  forgetDay(topicId: number, day: number): void {
    this.days.delete(`${topicId}/${day}`);
  }

  forgetTopic(topicId: number): void {
    for (const key of this.days.keys()) if (key.startsWith(`${topicId}/`)) this.days.delete(key);
  }

  private markDemoted(state: DayState, name: string): void {
    state.demoted.add(name);
    state.values.delete(name);
  }

  private day(topicId: number, day: number): DayState {
    const key = `${topicId}/${day}`;
    let state = this.days.get(key);
    if (state === undefined) this.days.set(key, (state = { demoted: new Set(), routes: new Map(), values: new Map() }));
    return state;
  }
}

function buildRoute(labels: Record<string, string>, demoted: Set<string>): StreamRoute {
  const kept: Record<string, string> = {};
  let moved: Record<string, string> | null = null;
  for (const name of Object.keys(labels).sort()) {
    if (demoted.has(name)) (moved ??= {})[name] = labels[name]!;
    else kept[name] = labels[name]!;
  }
  return { key: streamKey(kept), labelsJson: JSON.stringify(kept), demoted: moved };
}

/** FNV-1a, 32 bits: what a shard reports for a value (the indexer only needs to count distinct ones). */
export function hashValue(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 16777619);
  return h >>> 0;
}
