/**
 * The contract between the LogQL engine and whatever holds agent metric samples (the `metrics` topic,
 * whose record values are `{"name","value","ts","labels"}`, see ingest/metric-sample.ts). The engine uses
 * it for `*_over_time(metric_name{…}[range])`. Matchers are applied by the source and are not re-checked.
 */
import type { LabelMatcher, Nanos } from './log-source.js';

export interface SampleSelectRequest {
  /** Metric name, exactly. */
  name: string;
  /** Label matchers on the sample's labels (RE2 regexes, fully anchored); empty means all series. */
  matchers: LabelMatcher[];
  /** Inclusive start, exclusive end. */
  startNs: Nanos;
  endNs: Nanos;
  signal?: AbortSignal;
}

export interface SourceSample {
  tsNs: Nanos;
  value: number;
  /** The sample's labels, without the metric name. */
  labels: Record<string, string>;
}

export interface SampleSource {
  /** Samples of the named metric in [startNs, endNs), in any order. */
  selectSamples(request: SampleSelectRequest): AsyncIterable<SourceSample>;
}
