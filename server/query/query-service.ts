import { SluiceError } from '../errors.js';
import type { TopicStore } from '../store/index.js';
import { CountingLogSource } from './counting-log-source.js';
import type { LogSourceProvider } from './log-source-provider.js';
import type { LabelMatcher, LogSource, Nanos } from './log-source.js';
import {
  parseLogQL,
  parseStreamSelector,
  runInstantQuery,
  runLogQuery,
  runRangeQuery,
  type LogExpr,
  type MatrixResult,
  type StreamsResult,
  type VectorResult,
} from './logql/index.js';
import { keepOnePerInterval } from './line-interval.js';
import { logVolume } from './log-volume.js';
import type { QueryLimits } from './query-limits.js';
import { withQueryTimeout } from './query-timeout.js';
import { OffsetCeilingSource } from './tail/offset-ceiling-source.js';
import { TailSession, type TailSink } from './tail/tail-session.js';
import type { TailStream } from './tail/tail-message.js';
import { TopicScanSampleSource } from './topic-scan/index.js';

export interface QueryServiceOptions {
  store: TopicStore;
  sources: LogSourceProvider;
  metricsTopic: string;
  limits: QueryLimits;
}

export type QueryResult = StreamsResult | MatrixResult | VectorResult;

/** What a query cost, for Loki's `stats`. */
export interface QueryStats {
  execTimeS: number;
  linesProcessed: number;
  bytesProcessed: number;
  entriesReturned: number;
}

export interface RangeRequest {
  query: string;
  topic?: string;
  startNs: Nanos;
  endNs: Nanos;
  stepNs: Nanos;
  limit: number;
  direction: 'forward' | 'backward';
  /** Log queries: at most one line per interval (Loki's `interval`), applied to the lines the limit let through. */
  intervalNs: Nanos | null;
}

export interface InstantRequest {
  query: string;
  topic?: string;
  timeNs: Nanos;
}

export interface TailRequest {
  query: string;
  topic?: string;
  /** History: the newest `limit` lines since `startNs` are sent first. */
  startNs: Nanos;
  limit: number;
  delayForS: number;
}

/** A tail whose query is checked and whose history is read: opening it starts following. */
export interface PreparedTail {
  open(sink: TailSink): TailSession;
}

export interface LabelRequest {
  topic?: string;
  startNs: Nanos;
  endNs: Nanos;
  /** A stream selector restricting the streams looked at (Loki's `query` on the label endpoints). */
  query?: string;
}

/**
 * Runs what the query API asks: LogQL queries through the engine over the right LogSource, and the
 * label and series look-ups, each under the query timeout and result limits.
 */
export class QueryService {
  private readonly samples: TopicScanSampleSource;

  constructor(private readonly options: QueryServiceOptions) {
    this.samples = new TopicScanSampleSource({ store: options.store, topic: options.metricsTopic });
  }

  get defaultLogTopic(): string {
    return this.options.sources.defaultTopic;
  }

  get limits(): QueryLimits {
    return this.options.limits;
  }

  /** query_range: a log query returns streams, a metric query a matrix. */
  async range(request: RangeRequest, outer?: AbortSignal): Promise<{ result: QueryResult; stats: QueryStats }> {
    const expr = parseLogQL(request.query);
    const started = performance.now();
    const logs = new CountingLogSource(this.options.sources.forTopic(request.topic));
    let result = await this.withTimeout<QueryResult>(outer, (signal) =>
      expr.kind === 'log'
        ? runLogQuery(expr, logs, { startNs: request.startNs, endNs: request.endNs, limit: request.limit, direction: request.direction, signal })
        : runRangeQuery(expr, logs, this.samples, { startNs: request.startNs, endNs: request.endNs, stepNs: request.stepNs, signal }),
    );
    if (result.resultType === 'streams' && request.intervalNs !== null && request.intervalNs > 0n) {
      result = keepOnePerInterval(result, request.intervalNs, request.direction);
    }
    return { result: this.checkSeries(result), stats: statsOf(started, logs, result) };
  }

  /** query (instant): metric queries only, as Loki; the result is a vector at `timeNs`. */
  async instant(request: InstantRequest, outer?: AbortSignal): Promise<{ result: QueryResult; stats: QueryStats }> {
    const expr = parseLogQL(request.query);
    if (expr.kind === 'log') {
      throw new SluiceError('invalid_query', 'log queries are not supported as an instant query type, please change your query to a range query type');
    }
    const started = performance.now();
    const logs = new CountingLogSource(this.options.sources.forTopic(request.topic));
    const result = await this.withTimeout(outer, (signal) => runInstantQuery(expr, logs, this.samples, { atNs: request.timeNs, signal }));
    return { result: this.checkSeries(result), stats: statsOf(started, logs, result) };
  }

  /**
   * Checks a tail's query and reads its history: the newest `limit` lines since `startNs`, up to the
   * partitions' current ends, where following then starts (so no line is sent twice or missed).
   */
  async prepareTail(request: TailRequest, nowNs: Nanos, outer?: AbortSignal): Promise<PreparedTail> {
    const expr = parseLogQL(request.query);
    if (expr.kind !== 'log') throw new SluiceError('invalid_query', 'live tail needs a log query (a stream selector and a pipeline), not a metric query');
    const topic = request.topic ?? this.defaultLogTopic;
    const { store } = this.options;
    const info = (await store.listTopics()).find((t) => t.name === topic);
    if (!info) throw new SluiceError('unknown_topic', `log topic ${JSON.stringify(topic)} does not exist`);
    const fromOffsets = await Promise.all(Array.from({ length: info.partitions }, (_, p) => store.resolveOffset(topic, p, 'latest')));
    const recent = new OffsetCeilingSource(this.options.sources.forTopic(topic), topic, fromOffsets);
    const history = await this.withTimeout(outer, (signal) =>
      runLogQuery(expr, recent, { startNs: request.startNs, endNs: nowNs + 1n, limit: request.limit, direction: 'backward', signal }),
    );
    // Sent oldest first, as the lines that follow.
    const oldestFirst: TailStream[] = history.result.map((s) => ({ stream: s.stream, values: [...s.values].reverse() }));
    const pipeline = tailPipeline(expr);
    return {
      open: (sink) => {
        const session = new TailSession({ store, topic, pipeline, sink, delayForS: request.delayForS });
        session.start(oldestFirst, fromOffsets);
        return session;
      },
    };
  }

  async labelNames(request: LabelRequest, signal?: AbortSignal): Promise<string[]> {
    const source = this.options.sources.forTopic(request.topic);
    if (request.query === undefined) return this.withTimeout(signal, () => source.labelNames(request.startNs, request.endNs));
    const matchers = parseStreamSelector(request.query);
    return this.withTimeout(signal, async () => {
      const series = await source.series([matchers], request.startNs, request.endNs);
      return [...new Set(series.flatMap((labels) => Object.keys(labels)))].sort();
    });
  }

  async labelValues(name: string, request: LabelRequest, signal?: AbortSignal): Promise<string[]> {
    const matchers = request.query === undefined ? [] : parseStreamSelector(request.query);
    const source = this.options.sources.forTopic(request.topic);
    return this.withTimeout(signal, () => source.labelValues(name, request.startNs, request.endNs, matchers));
  }

  async series(match: string[], request: LabelRequest, signal?: AbortSignal): Promise<Record<string, string>[]> {
    if (match.length === 0) throw new SluiceError('invalid_request', 'at least one match[] selector is required');
    const selectors: LabelMatcher[][] = match.map((m) => parseStreamSelector(m));
    const source = this.options.sources.forTopic(request.topic);
    const series = await this.withTimeout(signal, () => source.series(selectors, request.startNs, request.endNs));
    if (series.length > this.options.limits.maxSeries) {
      throw new SluiceError('invalid_request', `maximum number of series (${this.options.limits.maxSeries}) reached for a single query; narrow the selector or the time range`);
    }
    return series;
  }

  /** Loki's max_query_series: a metric result with more series than this is refused, not truncated. */
  private checkSeries(result: QueryResult): QueryResult {
    if (result.resultType !== 'streams' && result.result.length > this.options.limits.maxSeries) {
      throw new SluiceError(
        'invalid_query',
        `maximum number of series (${this.options.limits.maxSeries}) reached for a single query; aggregate (e.g. sum by (…)) or narrow the selector`,
      );
    }
    return result;
  }

  /** index/volume: bytes per group of streams matching a selector, as a vector at `endNs`. */
  async volume(request: LabelRequest & { query: string; limit: number; targetLabels: string[] | null }, outer?: AbortSignal): Promise<VectorResult> {
    const matchers = parseStreamSelector(request.query);
    const source = this.options.sources.forTopic(request.topic);
    const groups = await this.withTimeout(outer, (signal) => logVolume(source, { ...request, matchers, signal }));
    const time = Number(request.endNs / 1_000_000n) / 1000;
    return { resultType: 'vector', result: groups.map((g) => ({ metric: g.labels, value: [time, String(g.bytes)] })) };
  }

  private withTimeout<T>(outer: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return withQueryTimeout(this.options.limits.timeoutMs, outer, work);
  }
}

/** Each batch of new lines goes through the same engine as query_range, over just that batch. */
function tailPipeline(expr: LogExpr) {
  return async (batch: LogSource, startNs: Nanos, endNs: Nanos, signal: AbortSignal) =>
    (await runLogQuery(expr, batch, { startNs, endNs, limit: Number.MAX_SAFE_INTEGER, direction: 'forward', signal })).result;
}

function statsOf(startedMs: number, logs: CountingLogSource, result: QueryResult): QueryStats {
  const entriesReturned = result.resultType === 'streams' ? result.result.reduce((n, s) => n + s.values.length, 0) : 0;
  return { execTimeS: (performance.now() - startedMs) / 1000, linesProcessed: logs.lines, bytesProcessed: logs.bytes, entriesReturned };
}
