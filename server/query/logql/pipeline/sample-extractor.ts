import type { Grouping, LabelFilterStage, LogRange, RangeFunctionName } from '../ast.js';
import { RANGE_FUNCTIONS } from '../metric/range-functions.js';
import { RegexCache } from '../regex.js';
import { compileLabelFilter, type LabelFilter } from './label-filter.js';
import { Pipeline, type PipelineInput } from './pipeline.js';
import { convertLabelValue } from './value-conversion.js';

export interface ExtractedSample {
  value: number;
  /** Series labels, sorted by name. */
  labels: Record<string, string>;
}

/**
 * Turns log entries into samples for a range aggregation. Without `unwrap` each line that passes the
 * pipeline is one sample of value 1 (or its UTF-8 byte length for bytes_*). With `unwrap x`, the label's
 * value is the sample: an entry without it is skipped; a value that does not convert becomes 0 with
 * `__error__="SampleExtractionErr"` (a post-unwrap `| __error__=""` drops it, as in Loki). The unwrapped
 * label leaves the series labels unless the aggregation groups `by` it.
 */
export class LogSampleExtractor {
  readonly pipeline: Pipeline;
  private readonly unwrap: LogRange['unwrap'];
  private readonly postFilters: LabelFilter[];
  private readonly countsBytes: boolean;
  private readonly dropsUnwrapped: boolean;

  constructor(range: LogRange, fn: RangeFunctionName, grouping: Grouping | undefined, regexes: RegexCache = new RegexCache()) {
    this.pipeline = new Pipeline(range.log.stages, regexes);
    this.unwrap = range.unwrap;
    this.postFilters = (range.unwrap?.postFilters ?? []).map((f: LabelFilterStage) => compileLabelFilter(f.filter, regexes));
    this.countsBytes = RANGE_FUNCTIONS[fn].lineValue === 'bytes';
    this.dropsUnwrapped = grouping === undefined || grouping.without;
  }

  extract(entry: PipelineInput): ExtractedSample | null {
    const line = this.pipeline.run(entry);
    if (line === null) return null;
    const labels = this.pipeline.labels;
    if (this.unwrap === undefined) {
      return { value: this.countsBytes ? Buffer.byteLength(line, 'utf8') : 1, labels: labels.labels() };
    }
    const { label, conversion } = this.unwrap;
    const text = labels.get(label);
    if (text === undefined || text === '') return null;
    let value = convertLabelValue(text, conversion === 'none' ? 'number' : conversion === 'bytes' ? 'bytes' : 'duration');
    if (value === undefined) {
      labels.setError('SampleExtractionErr', `cannot convert ${JSON.stringify(text)} of label ${label} to a ${conversion === 'none' ? 'number' : conversion}`);
      value = 0;
    }
    for (const filter of this.postFilters) if (!filter(labels)) return null;
    if (this.dropsUnwrapped) labels.delete(label);
    return { value, labels: labels.labels() };
  }
}
