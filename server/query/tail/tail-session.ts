import type { TopicStore } from '../../store/index.js';
import type { LogSource, Nanos, SourceEntry } from '../log-source.js';
import { BatchLogSource } from './batch-log-source.js';
import { followPartitions } from './partition-follower.js';
import { encodeTailMessage, type DroppedEntry, type TailStream } from './tail-message.js';

/** Where a session writes: a WebSocket in production. */
export interface TailSink {
  send(text: string): void;
  /** Bytes handed to send() and not yet written to the socket. */
  bufferedBytes(): number;
  close(code: number, reason: string): void;
}

/** Runs the tailed log query over a batch of lines in [startNs, endNs): the engine, bound to the query. */
export type TailPipeline = (batch: LogSource, startNs: Nanos, endNs: Nanos, signal: AbortSignal) => Promise<TailStream[]>;

export interface TailSessionOptions {
  store: TopicStore;
  topic: string;
  pipeline: TailPipeline;
  sink: TailSink;
  /** Loki's delay_for: hold new lines this long so lines from several partitions go out in time order. */
  delayForS: number;
  /** A client that lets more than this pile up unsent loses lines (reported in dropped_entries) instead. */
  maxBufferedBytes?: number;
}

const DEFAULT_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** Loki reports at most this many dropped entries per message. */
const MAX_DROPPED_REPORTED = 1000;
const WS_GOING_AWAY = 1001;
const WS_INTERNAL_ERROR = 1011;

/**
 * One live tail: sends the recent history, then follows every partition of the topic from where the
 * history ended and passes each batch of new lines through the query's pipeline. Batches are processed
 * one at a time, in arrival order, so the client sees each partition's lines in order.
 */
export class TailSession {
  private readonly abort = new AbortController();
  private readonly maxBufferedBytes: number;
  private dropped: DroppedEntry[] = [];
  private pending: SourceEntry[] = [];
  private work: Promise<void> = Promise.resolve();
  private flushTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: TailSessionOptions) {
    this.maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** Sends `history` (already in time order), then follows from `fromOffsets` until stop(). */
  start(history: TailStream[], fromOffsets: number[]): void {
    if (history.some((s) => s.values.length > 0)) this.options.sink.send(encodeTailMessage(history, []));
    followPartitions({
      store: this.options.store,
      topic: this.options.topic,
      fromOffsets,
      signal: this.abort.signal,
      onEntries: (entries) => this.arrived(entries),
    }).catch((err) => this.fail(err));
  }

  /** Stops following (the client went away). */
  stop(): void {
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.abort.abort();
  }

  /** Stops following and tells the client the server is going away. */
  shutdown(): void {
    if (this.abort.signal.aborted) return;
    this.stop();
    this.options.sink.close(WS_GOING_AWAY, 'server shutting down');
  }

  private arrived(entries: SourceEntry[]): void {
    this.pending.push(...entries);
    if (this.options.delayForS === 0) this.flush();
    else this.flushTimer ??= setTimeout(() => this.flush(), this.options.delayForS * 1000);
  }

  private flush(): void {
    this.flushTimer = null;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    this.work = this.work.then(() => this.process(batch)).catch((err) => this.fail(err));
  }

  private async process(batch: SourceEntry[]): Promise<void> {
    if (this.abort.signal.aborted) return;
    let startNs = batch[0]!.tsNs;
    let endNs = startNs;
    for (const e of batch) {
      if (e.tsNs < startNs) startNs = e.tsNs;
      if (e.tsNs > endNs) endNs = e.tsNs;
    }
    const streams = await this.options.pipeline(new BatchLogSource(batch), startNs, endNs + 1n, this.abort.signal);
    if (this.abort.signal.aborted || streams.every((s) => s.values.length === 0)) return;
    if (this.options.sink.bufferedBytes() > this.maxBufferedBytes) {
      for (const s of streams) for (const [timestamp] of s.values) if (this.dropped.length < MAX_DROPPED_REPORTED) this.dropped.push({ labels: s.stream, timestamp });
      return;
    }
    this.options.sink.send(encodeTailMessage(streams, this.dropped));
    this.dropped = [];
  }

  private fail(err: unknown): void {
    if (this.abort.signal.aborted) return;
    this.stop();
    let reason = err instanceof Error ? err.message : String(err);
    // A WebSocket close reason is limited to 123 bytes.
    while (Buffer.byteLength(reason) > 123) reason = reason.slice(0, -1);
    this.options.sink.close(WS_INTERNAL_ERROR, reason);
  }
}
