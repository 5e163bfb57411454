import type { PositionedMatcher } from '../../query/logql/ast.js';
import { compileLabelsMatcher, type LabelsMatcher } from '../../query/logql/matchers.js';
import { printSelector } from '../../query/logql/printer.js';
import { RegexCache } from '../../query/logql/regex.js';
import type { StoredRecord } from '../../store/index.js';
import { rawRecordEntry } from '../../ingest/raw-record-entry.js';
import { decodeLogParts, decodeLogValue, decodeMetricValue, logRecordLayout, parseLabels, type DecodedLogEntry } from './stored-entry.js';
import type { LogWindowFeed, MetricWindowFeed, WindowFeed } from './window-feed.js';
import type { WindowSet } from './window-set.js';

/** A sender clock running ahead by up to this much is treated as "now"; further ahead is refused. */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;
/** Streams whose routing is remembered; a label set that changes per line must not grow memory forever. */
const MAX_CACHED_STREAMS = 50_000;

interface StreamRoute {
  /** One label object per stream, shared by every record of it (feeds cache series ids by identity). */
  labels: Record<string, string>;
  feeds: LogWindowFeed[];
}

export interface RouterCounters {
  records: number;
  /** Records at least one feed looked at. */
  matched: number;
  /** Records dated further ahead of the clock than MAX_FUTURE_SKEW_MS, refused. */
  future: number;
  undecodable: number;
}

/**
 * Hands each record of the log and metric topics to the window feeds that want it, cheaply:
 *
 * - Log records are routed by stream. Each distinct stream selector is tested once per stream (not
 *   per record, not per rule): the result is cached by the stream's labels text, found without a full
 *   JSON parse (see stored-entry.ts). A record is parsed, and its feeds' pipelines run, only when some
 *   selector matches its stream.
 * - Metric records are routed by metric name, then by each feed's label matchers.
 *
 * Records are placed in windows by their own timestamp. One older than a window is ignored by it (a
 * replay of old data cannot fire an alert for "now"); one ahead of the clock by up to
 * MAX_FUTURE_SKEW_MS counts as now, so a sender's clock running fast does not delay an alert.
 */
export class RecordRouter {
  private readonly selectors: Array<{ test: LabelsMatcher; feeds: LogWindowFeed[] }> = [];
  private readonly metricFeeds = new Map<string, Array<{ test: LabelsMatcher; feed: MetricWindowFeed }>>();
  private readonly streams = new Map<string, StreamRoute>();
  readonly counters: RouterCounters = { records: 0, matched: 0, future: 0, undecodable: 0 };

  constructor(feeds: readonly WindowFeed[]) {
    const regexes = new RegexCache();
    const bySelector = new Map<string, { test: LabelsMatcher; feeds: LogWindowFeed[] }>();
    for (const feed of feeds) {
      if (feed.kind === 'log') {
        const key = selectorKey(feed.source.log.matchers);
        let group = bySelector.get(key);
        if (group === undefined) {
          group = { test: compileLabelsMatcher(feed.source.log.matchers, regexes), feeds: [] };
          bySelector.set(key, group);
        }
        group.feeds.push(feed);
      } else {
        let list = this.metricFeeds.get(feed.source.name);
        if (list === undefined) this.metricFeeds.set(feed.source.name, (list = []));
        list.push({ test: compileLabelsMatcher(feed.source.matchers, regexes), feed });
      }
    }
    this.selectors = [...bySelector.values()];
  }

  get empty(): boolean {
    return this.selectors.length === 0 && this.metricFeeds.size === 0;
  }

  get wantsLogs(): boolean {
    return this.selectors.length > 0;
  }

  get wantsMetrics(): boolean {
    return this.metricFeeds.size > 0;
  }

  /** Routes log records; adds every WindowSet that took a sample to `touched`. */
  routeLogs(records: readonly StoredRecord[], nowMs: number, touched: Set<WindowSet>): void {
    if (this.selectors.length === 0) return;
    for (const record of records) {
      this.counters.records++;
      if (record.value === null) continue;
      const tsMs = this.admit(record.timestamp, nowMs);
      if (tsMs === null) continue;
      const text = record.value.toString('utf8');
      const layout = logRecordLayout(text);
      let route: StreamRoute | null;
      let entry: DecodedLogEntry | null;
      if (layout !== null) {
        route = this.routeOf(text.slice(layout.labels[0], layout.labels[1]));
        if (route === null || route.feeds.length === 0) continue;
        const parts = decodeLogParts(text, layout);
        if (parts === null) {
          this.counters.undecodable++;
          continue;
        }
        entry = { line: parts.line, labels: route.labels };
        if (parts.fields !== undefined) entry.fields = parts.fields;
      } else {
        // Not in the ingestor's shape: a log entry from the raw produce API, or any other record (a
        // Kafka producer's plain text) read as queries read it, the whole value as the line.
        entry = decodeLogValue(record.value) ?? rawRecordEntry(record.value, record.headers);
        route = { labels: entry.labels, feeds: this.matchingFeeds(entry.labels) };
        if (route.feeds.length === 0) continue;
      }
      this.counters.matched++;
      for (const feed of route.feeds) if (feed.add(entry, tsMs, nowMs)) touched.add(feed.windows);
    }
  }

  routeMetrics(records: readonly StoredRecord[], nowMs: number, touched: Set<WindowSet>): void {
    if (this.metricFeeds.size === 0) return;
    for (const record of records) {
      this.counters.records++;
      if (record.value === null) continue;
      const tsMs = this.admit(record.timestamp, nowMs);
      if (tsMs === null) continue;
      const sample = decodeMetricValue(record.value);
      if (sample === null) {
        this.counters.undecodable++;
        continue;
      }
      const feeds = this.metricFeeds.get(sample.name);
      if (feeds === undefined) continue;
      this.counters.matched++;
      for (const { test, feed } of feeds) if (test(sample.labels) && feed.add(sample.labels, sample.value, tsMs, nowMs)) touched.add(feed.windows);
    }
  }

  private admit(tsMs: number, nowMs: number): number | null {
    if (tsMs <= nowMs) return tsMs;
    if (tsMs - nowMs <= MAX_FUTURE_SKEW_MS) return nowMs;
    this.counters.future++;
    return null;
  }

  private routeOf(text: string): StreamRoute | null {
    let route = this.streams.get(text);
    if (route === undefined) {
      const labels = parseLabels(text);
      if (labels === null) return null;
      route = { labels, feeds: this.matchingFeeds(labels) };
      if (this.streams.size >= MAX_CACHED_STREAMS) this.streams.clear();
      this.streams.set(text, route);
    }
    return route;
  }

  private matchingFeeds(labels: Record<string, string>): LogWindowFeed[] {
    const feeds: LogWindowFeed[] = [];
    for (const selector of this.selectors) if (selector.test(labels)) feeds.push(...selector.feeds);
    return feeds;
  }
}

function selectorKey(matchers: readonly PositionedMatcher[]): string {
  return printSelector([...matchers].sort((a, b) => (a.name === b.name ? (a.op < b.op ? -1 : a.op > b.op ? 1 : a.value < b.value ? -1 : 1) : a.name < b.name ? -1 : 1)));
}
