import type { TopicStore } from '../store/index.js';
import type { LogSource } from './log-source.js';
import { TopicScanLogSource } from './topic-scan/index.js';

/** What the search index offers once it exists: a reader for the topic it indexes, and whether it is current. */
export interface IndexedLogSource {
  topic: string;
  source: LogSource;
  /** True when the index holds every line the topic holds (its consumer has no lag). */
  isCaughtUp(): boolean;
}

export interface LogSourceProviderOptions {
  store: TopicStore;
  /** The log topic a query reads when it names none. */
  defaultTopic: string;
  index?: IndexedLogSource | null;
  maxDisorderMs?: number;
}

/**
 * The one place that decides where a query reads its lines: the search index when it covers the topic
 * and has caught up, otherwise a plain scan of the topic (always complete, slower).
 */
export class LogSourceProvider {
  private readonly scans = new Map<string, TopicScanLogSource>();
  private index: IndexedLogSource | null;

  constructor(private readonly options: LogSourceProviderOptions) {
    this.index = options.index ?? null;
  }

  get defaultTopic(): string {
    return this.options.defaultTopic;
  }

  /** Lets the wiring attach the index once its consumer has started. */
  useIndex(index: IndexedLogSource | null): void {
    this.index = index;
  }

  forTopic(topic: string = this.options.defaultTopic): LogSource {
    if (this.index !== null && this.index.topic === topic && this.index.isCaughtUp()) return this.index.source;
    return this.scanOf(topic);
  }

  /** The plain scan, whatever the index's state: the reference, and what live tail follows. */
  scanOf(topic: string = this.options.defaultTopic): TopicScanLogSource {
    let scan = this.scans.get(topic);
    if (scan === undefined) {
      scan = new TopicScanLogSource({ store: this.options.store, topic, maxDisorderMs: this.options.maxDisorderMs });
      this.scans.set(topic, scan);
    }
    return scan;
  }
}
